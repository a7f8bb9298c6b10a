"""English and Arabic: gettext catalogs (Babel), text direction, numbers and dates per locale.

Catalogs are kept as `.po` files and compiled in memory when first used, so
there is no build step and no binary file in the repository.
"""

from __future__ import annotations

import gettext
import io
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

LOCALES = ("en", "ar")
DEFAULT = "en"
CATALOGS = Path(__file__).parent / "locale"


def chosen(wanted: str | None) -> str:
    """A supported locale: `wanted` if it is one, else English."""
    return wanted if wanted in LOCALES else DEFAULT


@cache
def translations(lang: str) -> gettext.NullTranslations:
    po = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def direction(lang: str) -> str:
    return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"


def number(value: float, lang: str) -> str:
    return format_decimal(value, locale=lang)


def when(instant: str | None, lang: str, zone: str = "UTC", form: str = "medium") -> str:
    """An ISO instant as people of `lang` read a date and time, in the operation's zone."""
    if not instant:
        return ""
    moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return format_datetime(moment, form, tzinfo=ZoneInfo(zone), locale=lang)


def day(iso_date: str | None, lang: str) -> str:
    """A calendar date (ISO `YYYY-MM-DD`) as people of `lang` read it."""
    if not iso_date:
        return ""
    return format_date(date.fromisoformat(iso_date[:10]), "medium", locale=lang)


def percent(share: float | None, lang: str) -> str:
    """A share (0.25) as a percentage in `lang`'s digits and signs; a dash when unknown."""
    return "–" if share is None else format_percent(share, locale=lang)
