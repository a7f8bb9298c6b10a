"""The field app's Jinja2 environments: its own templates, the dashboard's catalogs."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment

from corridor.entrypoints.web.templates import environment_of


@cache
def environment(lang: str) -> Environment:
    return environment_of("corridor.entrypoints.web.field", lang)


def render(lang: str, name: str, **context: Any) -> str:
    return environment(lang).get_template(name).render(**context)
