"""Every changed panel's fragment in one answer, so a ledger event costs a screen one request.

The operation page has one element listening to the live stream; on a tick
it fetches `/ops/OP/panels` and htmx swaps each fragment into its panel out
of band (`hx-select-oob`). The fragments come from one read of the record.
Every panel but the clock is rendered once per role, language, ledger state
and operation-time minute and shared by every screen (in the record's
views, which each applied event empties, like the panel values of decision
0025); the session's own CSRF token is put into the shared HTML per answer,
in place of a mark no page text can contain.

Each shared fragment has a version (a hash of its HTML). The answer names
every panel's version in a header (`X-Corridor-Panels`) and the page sends
back what it holds, so the next answer leaves out the panels that have not
changed: an incident report does not resend the timeline (decision 0027).
The header is only a hint: a missing or malformed one gets every panel.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from typing import Any

from corridor.entrypoints.web.names import Names
from corridor.entrypoints.web.templates import render

LIVE = ("clock", "deal", "convoys", "timeline", "reception", "incidents", "custody", "figures")
"""The panels a tick refreshes, in page order (downloads never change)."""

SHARED = LIVE[1:]
"""The panels whose HTML screens of one role and language share."""

HEADER = "X-Corridor-Panels"
"""Request and answer header: `name=version` pairs, comma separated, of the shared panels."""

MARK = "csrf-" + secrets.token_hex(16)
"""Stands for a session's CSRF token in shared HTML; unguessable, so no typed text holds it."""

_PAIR = re.compile(r"^([a-z]+)=([0-9a-f]{16})$")
_RENDERING = threading.Lock()

Shared = dict[str, tuple[str, str]]
"""Panel name -> (HTML with MARK for the CSRF token, version)."""


def fragment(lang: str, name: str, context: dict[str, Any]) -> str:
    """One panel's HTML fragment, as the page draws it."""
    return render(lang, f"panels/{name}.html", **context)


def held(header: str | None) -> dict[str, str]:
    """The versions a page says it holds; anything malformed counts as holding nothing."""
    found: dict[str, str] = {}
    for pair in (header or "")[:2000].split(","):
        match = _PAIR.match(pair.strip())
        if match and match.group(1) in SHARED:
            found[match.group(1)] = match.group(2)
    return found


def versions(shared: Shared) -> str:
    """The header value naming every shared panel's version."""
    return ",".join(f"{name}={shared[name][1]}" for name in SHARED)


def _context(operation: str, role: str, panels: dict[str, Any], lang: str) -> dict[str, Any]:
    names = Names.of(panels.get("world"), lang)
    return {"operation": operation, "role": role, "panels": panels, "names": names, "errors": {}}


def shared_fragments(
    lang: str, store: dict[Any, Any], *, operation: str, role: str, panels: dict[str, Any]
) -> Shared:
    """The shared panels' HTML and versions, rendered once per role and language per `store`."""
    key = ("fragments", role, lang)
    found: Shared | None = store.get(key)
    if found is None:
        with _RENDERING:  # a hundred screens asking at once after an event: one renders
            found = store.get(key)
            if found is None:
                context = _context(operation, role, panels, lang) | {"csrf": MARK}
                built: Shared = {}
                for name in SHARED:
                    html = fragment(lang, name, context)
                    built[name] = (html, hashlib.blake2b(html.encode(), digest_size=8).hexdigest())
                found = store[key] = built
    return found


def fragments(
    lang: str,
    store: dict[Any, Any],
    *,
    operation: str,
    role: str,
    csrf: str,
    panels: dict[str, Any],
    have: dict[str, str] | None = None,
) -> tuple[str, str]:
    """The clock and every shared panel not in `have` at its version, for one screen;
    and the header value naming the versions now."""
    shared = shared_fragments(lang, store, operation=operation, role=role, panels=panels)
    have = have or {}
    clock = fragment(lang, "clock", _context(operation, role, panels, lang) | {"csrf": csrf})
    changed = [html for name, (html, v) in shared.items() if have.get(name) != v]
    return "\n".join([clock, *changed]).replace(MARK, csrf), versions(shared)
