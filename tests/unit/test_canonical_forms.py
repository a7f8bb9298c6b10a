"""The payload forms: RFC 8785 text for new ledgers, the first form kept for old ones."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.domain.canonical import CanonicalError
from corridor.services.canonical_forms import LEGACY_FORM, NEW_FORM, encoder, rfc8785_json

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53) + 1, 2**53 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(texts, values, max_size=6))
def test_payloads_are_written_exactly_as_the_rfc8785_library_writes_them(
    payload: dict[str, Any],
) -> None:
    """Fast path or not, the text is byte for byte what `rfc8785.dumps` gives."""
    assert rfc8785_json(payload).encode("utf-8") == rfc8785.dumps(payload)


def test_keys_are_sorted_by_utf16_code_units_as_rfc8785_requires() -> None:
    """A key above U+FFFF sorts before one at U+E000 in RFC 8785, unlike code-point order."""
    payload = {"\ue000": 1, "\U0001f600": 2}
    assert rfc8785_json(payload) == '{"\U0001f600":2,"\ue000":1}'


def test_the_two_forms_differ_only_where_numbers_are_written_differently() -> None:
    """1.0 is 1 in RFC 8785 and 1.0 in the first form; texts and integers agree."""
    assert encoder(NEW_FORM)({"x": 1.0, "t": "é"}) == '{"t":"é","x":1}'
    assert encoder(LEGACY_FORM)({"x": 1.0, "t": "é"}) == '{"t":"é","x":1.0}'


def test_an_unknown_form_is_named() -> None:
    """A ledger recording a form this version does not know is refused, naming both."""
    with pytest.raises(CanonicalError, match=r"'jcs-9'.*rfc8785"):
        encoder("jcs-9")
