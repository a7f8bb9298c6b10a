"""`ledger keygen|checkpoint|head` and `verify` held to a head and checkpoints kept outside."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.bootstrap import open_store
from corridor.entrypoints.cli.main import app
from tests.support.ledger_contract import clock, fill
from tests.support.tampering import delete_all, delete_last, forge_append, rewrite_from

runner = CliRunner()

TAMPERING: list[Any] = [
    pytest.param(lambda url: delete_last(url, 2), id="the-last-rows-deleted"),
    pytest.param(delete_all, id="every-row-deleted"),
    pytest.param(lambda url: rewrite_from(url, 3), id="rewritten-from-row-3-with-fresh-hashes"),
    pytest.param(forge_append, id="a-well-sealed-forged-event-appended"),
]


def run(*args: str, code: int = 0) -> Any:
    """Invoke the CLI, check the exit code, return the result."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def signed_ledger(tmp_path: Path, url: str | None = None) -> tuple[str, Path, Path, str]:
    """A six-event ledger, a signing key and one checkpoint of its head."""
    url = url or f"sqlite:///{tmp_path / 'ledger.db'}"
    with open_store(url, clock()) as store:
        fill(store, 6)
        head = store.head().hash
    key, witness = tmp_path / "signing.key", tmp_path / "checkpoints.jsonl"
    run("ledger", "keygen", "--out", str(key))
    run(
        "ledger",
        "checkpoint",
        "--db",
        url,
        "--signing-key",
        str(key),
        "--checkpoints",
        str(witness),
    )
    return url, key, witness, head


def anchored(url: str, witness: Path, key: Path, head: str, code: int) -> list[Any]:
    """verify with both anchors, as JSON and as text; both must exit with `code`."""
    public = f"{key}.pub"
    both = [
        "--db",
        url,
        "--expect-head",
        head,
        "--checkpoints",
        str(witness),
        "--public-key",
        public,
    ]
    report = json.loads(run("ledger", "verify", *both, "--json", code=code).stdout)
    text = run("ledger", "verify", *both, code=code)
    return [report, text]


@pytest.mark.parametrize("tamper", TAMPERING)
def test_verify_without_anchors_cannot_see_the_damage_that_leaves_a_sound_chain(
    tmp_path: Path, tamper: Callable[[str], None]
) -> None:
    """The chain alone still verifies after each of these; this is why anchors exist."""
    url, _, _, _ = signed_ledger(tmp_path)
    tamper(url)
    assert json.loads(run("ledger", "verify", "--db", url, "--json").stdout)["ok"] is True


@pytest.mark.parametrize("tamper", TAMPERING)
def test_verify_with_the_expected_head_and_checkpoints_catches_each_damage(
    tmp_path: Path, tamper: Callable[[str], None]
) -> None:
    """Cut, emptied, rewritten or forged-onto ledgers fail with exit 1 and a named reason."""
    url, key, witness, head = signed_ledger(tmp_path)
    report, _ = anchored(url, witness, key, head, code=0)
    assert report["ok"] is True
    assert report["anchored"] is True
    tamper(url)
    report, text = anchored(url, witness, key, head, code=1)
    assert report["ok"] is False
    assert len(report["anchor_problems"]) == 2  # one from the head, one from the checkpoint
    assert "ledger does not match its anchors" in text.stderr


@pytest.mark.parametrize("tamper", TAMPERING)
def test_each_anchor_alone_catches_each_damage(
    tmp_path: Path, tamper: Callable[[str], None]
) -> None:
    """--expect-head alone and --checkpoints alone both exit 1 after the damage."""
    url, key, witness, head = signed_ledger(tmp_path)
    tamper(url)
    run("ledger", "verify", "--db", url, "--expect-head", head, code=1)
    checkpoints = ["--checkpoints", str(witness), "--public-key", f"{key}.pub"]
    run("ledger", "verify", "--db", url, *checkpoints, code=1)


def test_a_genuine_command_after_the_checkpoint_passes_once_it_is_signed(tmp_path: Path) -> None:
    """New events are unsigned until the next checkpoint, then verify passes again."""
    url, key, witness, _ = signed_ledger(tmp_path)
    with open_store(url, clock()) as store:
        fill(store, 1)
    checkpoints = ["--checkpoints", str(witness), "--public-key", f"{key}.pub"]
    result = run("ledger", "verify", "--db", url, *checkpoints, code=1)
    assert "signed by nobody: sequences 7 to 7" in result.stderr
    run(
        "ledger",
        "checkpoint",
        "--db",
        url,
        "--signing-key",
        str(key),
        "--checkpoints",
        str(witness),
    )
    assert "anchored" in run("ledger", "verify", "--db", url, *checkpoints).stdout


def test_a_changed_checkpoint_fails_its_signature(tmp_path: Path) -> None:
    """A checkpoint line edited to match a rewritten chain no longer verifies under the key."""
    url, key, witness, _ = signed_ledger(tmp_path)
    rewrite_from(url, 3)
    with open_store(url) as store:
        forged_head = store.head().hash
    line = json.loads(witness.read_text())
    witness.write_text(json.dumps({**line, "hash": forged_head}) + "\n")
    checkpoints = ["--checkpoints", str(witness), "--public-key", f"{key}.pub"]
    result = run("ledger", "verify", "--db", url, *checkpoints, code=1)
    assert "signature does not hold" in result.stderr


def test_checkpoints_signed_by_another_key_are_refused(tmp_path: Path) -> None:
    """A forger's own key signs nothing the auditor's public key accepts."""
    url, _, witness, _ = signed_ledger(tmp_path)
    other = tmp_path / "other.key"
    run("ledger", "keygen", "--out", str(other))
    checkpoints = ["--checkpoints", str(witness), "--public-key", f"{other}.pub"]
    assert (
        "signature does not hold"
        in run("ledger", "verify", "--db", url, *checkpoints, code=1).stderr
    )


def test_keygen_writes_a_private_key_and_never_overwrites_one(tmp_path: Path) -> None:
    """The private key is 0600, the public key is base64 of 32 bytes; a second keygen is refused."""
    key = tmp_path / "signing.key"
    run("ledger", "keygen", "--out", str(key))
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    result = run("ledger", "keygen", "--out", str(key), code=2)
    assert "never overwritten" in result.stderr
    assert key.read_bytes() == before


def test_checkpoints_without_a_public_key_are_an_error_naming_the_option(tmp_path: Path) -> None:
    """--checkpoints alone cannot be checked: exit 2 naming --public-key."""
    url, _, witness, _ = signed_ledger(tmp_path)
    result = run("ledger", "verify", "--db", url, "--checkpoints", str(witness), code=2)
    assert "--public-key" in result.stderr


def test_an_expected_head_that_is_not_a_hash_is_refused(tmp_path: Path) -> None:
    """--expect-head must be 64 hex digits: exit 2 naming the option and the value."""
    url, _, _, _ = signed_ledger(tmp_path)
    result = run("ledger", "verify", "--db", url, "--expect-head", "abc", code=2)
    assert "--expect-head" in result.stderr
    assert "'abc'" in result.stderr


def test_head_shows_the_head_and_its_newest_signature(tmp_path: Path) -> None:
    """ledger head --checkpoints prints the head and the checkpoint that signs it."""
    url, _, witness, head = signed_ledger(tmp_path)
    shown = json.loads(run("ledger", "head", "--db", url, "--checkpoints", str(witness)).stdout)
    assert shown["sequence"] == 6
    assert shown["hash"] == head
    assert shown["checkpoint"]["hash"] == head
    assert shown["checkpoint"]["signature"]


def test_anchors_catch_a_rewrite_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    """The same checks hold on PostgreSQL: a rewrite from row 3 fails both anchors."""
    url, key, witness, head = signed_ledger(tmp_path, postgres_url)
    anchored(url, witness, key, head, code=0)
    rewrite_from(url, 3)
    report, _ = anchored(url, witness, key, head, code=1)
    assert len(report["anchor_problems"]) == 2


def test_a_signing_key_open_to_others_is_warned_about(tmp_path: Path) -> None:
    """checkpoint with a 0644 signing key still signs, with a warning naming chmod 600."""
    url, key, witness, _ = signed_ledger(tmp_path)
    key.chmod(0o644)
    result = run(
        "ledger",
        "checkpoint",
        "--db",
        url,
        "--signing-key",
        str(key),
        "--checkpoints",
        str(witness),
    )
    assert f"warning: signing key file {key} is open to others (mode 0644)" in result.stderr
    assert f"chmod 600 {key}" in result.stderr


def test_a_vault_key_open_to_others_is_warned_about_at_start_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """serve's start-up key check warns on a 0644 vault key file, naming chmod 600."""
    from corridor.entrypoints.cli.serve import _start_up_key

    db, key = tmp_path / "corridor.db", tmp_path / "corridor.key"
    run("init", "--db", f"sqlite:///{db}", "--key-file", str(key))
    key.chmod(0o644)
    capsys.readouterr()
    _start_up_key(f"sqlite:///{db}", key, None, demo=False)
    assert f"key file {key} is open to others (mode 0644)" in capsys.readouterr().err


def test_a_cut_wal_tail_is_caught_by_the_expected_head(tmp_path: Path) -> None:
    """Commands lost with the WAL's last frames leave a sound chain that --expect-head refuses."""
    import shutil

    live = tmp_path / "live.db"
    with open_store(f"sqlite:///{live}", clock()) as store:
        fill(store, 6)
        head = store.head().hash
        copy = tmp_path / "copy"
        copy.mkdir()
        shutil.copy(live, copy / "live.db")
        wal = Path(f"{live}-wal").read_bytes()
    frame = 24 + 4096  # one WAL frame: header and a page
    Path(f"{copy / 'live.db'}-wal").write_bytes(wal[: len(wal) - frame])
    url = f"sqlite:///{copy / 'live.db'}"
    report = json.loads(run("ledger", "verify", "--db", url, "--json").stdout)
    assert report["ok"] is True
    assert report["events"] < 6
    result = run("ledger", "verify", "--db", url, "--expect-head", head, code=1)
    assert "is not in the ledger" in result.stderr
