"""The vault key comes from a file or a setting; tokens are random and kept as hashes."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from corridor.errors import InvalidInput, NotFound
from corridor.protection.keys import MasterKey, load_key, write_key
from corridor.protection.tokens import generate_token, matches, token_hash


def test_a_written_key_file_is_owner_only_and_loads_back(tmp_path: Path) -> None:
    """write_key creates a 0600 file whose key loads back unchanged."""
    key = MasterKey.generate()
    path = tmp_path / "corridor.key"
    write_key(path, key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key(path).secret == key.secret


def test_a_key_file_is_never_overwritten(tmp_path: Path) -> None:
    """A second write to the same path is refused and the first key survives."""
    path = tmp_path / "corridor.key"
    first = MasterKey.generate()
    write_key(path, first)
    with pytest.raises(InvalidInput, match="never overwritten"):
        write_key(path, MasterKey.generate())
    assert load_key(path).secret == first.secret


def test_a_setting_value_takes_precedence_over_the_file(tmp_path: Path) -> None:
    """A configured key value is used even when a key file exists."""
    path = tmp_path / "corridor.key"
    write_key(path, MasterKey.generate())
    configured = MasterKey.generate()
    assert load_key(path, configured.to_text()).secret == configured.secret


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not base64!", "not base64"),
        (base64.b64encode(b"short").decode(), "holds 5 bytes"),
    ],
)
def test_a_malformed_key_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    """Bad base64 or a wrong length is a clear error naming the file."""
    path = tmp_path / "corridor.key"
    path.write_text(content)
    with pytest.raises(InvalidInput, match=message) as raised:
        load_key(path)
    assert str(path) in str(raised.value)


def test_a_missing_key_file_says_how_to_make_one(tmp_path: Path) -> None:
    """A missing key file points at `corridor init`."""
    with pytest.raises(NotFound, match="corridor init"):
        load_key(tmp_path / "absent.key")


def test_a_key_never_shows_in_its_repr() -> None:
    """Printing a key object shows no key material."""
    key = MasterKey.generate()
    assert key.to_text() not in repr(key)


def test_tokens_carry_at_least_256_random_bits() -> None:
    """A token's random part decodes to at least 32 bytes, and tokens differ."""
    tokens = {generate_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        body = token.removeprefix("crd_")
        assert len(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) >= 32


def test_a_token_matches_its_hash_and_no_other() -> None:
    """The stored hash accepts its own token and refuses others."""
    token = generate_token()
    stored = token_hash(token)
    assert token not in stored
    assert matches(token, stored)
    assert not matches(generate_token(), stored)
