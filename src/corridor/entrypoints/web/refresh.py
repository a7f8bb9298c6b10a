"""Every live panel's fragment in one answer, so a ledger event costs a screen one request.

The operation page has one element listening to the live stream; on a tick
it fetches `/ops/OP/panels` and htmx swaps each fragment into its panel out
of band (`hx-select-oob`). The fragments come from one read of the record.
Every panel but the clock is rendered once per role, language, ledger state
and operation-time minute and shared by every screen (in the record's
views, which each applied event empties, like the panel values of decision
0025); the session's own CSRF token is put into the shared HTML per answer,
in place of a mark no page text can contain (decision 0027).
"""

from __future__ import annotations

import secrets
from typing import Any

from corridor.entrypoints.web.names import Names
from corridor.entrypoints.web.templates import render

LIVE = ("clock", "deal", "convoys", "timeline", "reception", "incidents", "custody", "figures")
"""The panels a tick refreshes, in page order (downloads never change)."""

SHARED = LIVE[1:]
"""The panels whose HTML screens of one role and language share."""

MARK = "csrf-" + secrets.token_hex(16)
"""Stands for a session's CSRF token in shared HTML; unguessable, so no typed text holds it."""


def fragment(lang: str, name: str, context: dict[str, Any]) -> str:
    """One panel's HTML fragment, as the page draws it."""
    return render(lang, f"panels/{name}.html", **context)


def fragments(
    lang: str,
    store: dict[Any, Any],
    *,
    operation: str,
    role: str,
    csrf: str,
    panels: dict[str, Any],
) -> str:
    """The live panels' fragments for one screen, the shared part rendered once per `store`."""
    names = Names.of(panels.get("world"), lang)
    context = {
        "operation": operation,
        "role": role,
        "panels": panels,
        "names": names,
        "errors": {},
    }
    key = ("fragments", role, lang)
    shared: str | None = store.get(key)
    if shared is None:
        shared = store[key] = "\n".join(
            fragment(lang, name, {**context, "csrf": MARK}) for name in SHARED
        )
    clock = fragment(lang, "clock", {**context, "csrf": csrf})
    return clock + "\n" + shared.replace(MARK, csrf)
