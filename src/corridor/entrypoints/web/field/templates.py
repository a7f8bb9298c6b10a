"""The field app's Jinja2 environments: its own templates, the dashboard's catalogs."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from corridor.entrypoints.web.i18n import direction, translations


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=PackageLoader("corridor.entrypoints.web.field", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(lang=lang, dir=direction(lang))
    return env


def render(lang: str, name: str, **context: Any) -> str:
    return environment(lang).get_template(name).render(**context)
