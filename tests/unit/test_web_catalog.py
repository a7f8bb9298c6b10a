"""Every string of the dashboard's templates and map words has an Arabic translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import corridor.entrypoints.web as web

WEB = Path(web.__file__).parent


def _template_strings() -> set[str]:
    method_map = [("templates/**.html", "jinja2"), ("map_view.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(str(WEB), method_map, options_map=options)
    return {message if isinstance(message, str) else message[0] for _, _, message, *_ in found}


def test_every_template_string_is_translated_into_arabic() -> None:
    """No msgid extracted from the templates lacks a non-empty Arabic msgstr."""
    with (WEB / "locale" / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    translated = {m.id for m in catalog if m.id and m.string}
    strings = _template_strings()
    assert len(strings) > 50
    assert sorted(strings - translated) == []
