"""Jinja2 environments, one per language, with gettext and locale-aware filters."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from corridor.entrypoints.web.i18n import day, direction, number, percent, translations, when


@cache
def environment(lang: str) -> Environment:
    return environment_of("corridor.entrypoints.web", lang)


def environment_of(package: str, lang: str) -> Environment:
    """The templates of `package` in `lang`: the dashboard's catalogs, filters and direction."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = lambda value: number(value, lang)
    env.globals.update(lang=lang, dir=direction(lang))
    env.filters["when"] = lambda instant, zone="UTC", form="medium": when(instant, lang, zone, form)
    env.filters["day"] = lambda iso_date: day(iso_date, lang)
    env.filters["percent"] = lambda share: percent(share, lang)
    return env


def render(lang: str, name: str, **context: Any) -> str:
    return environment(lang).get_template(name).render(**context)
