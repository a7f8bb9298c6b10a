"""How the API answers a command: its events as the caller may see them, and what was decided.

A command the deal refused is answered 409 with the decision (the terms that
decided it, the figures it used, the sentence), because it was recorded but
did not do what was asked; `events` still shows what the ledger now holds.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from corridor.entrypoints.api.auth import shown
from corridor.protection.access import Principal
from corridor.services.bus import Outcome
from corridor.services.views import outcome_view

REFUSED = 409


def answer(who: Principal, outcome: Outcome, status: int = 200) -> tuple[int, Any]:
    """The status and JSON body answering a command; 409 when the deal refused any part of it."""
    body: dict[str, Any] = outcome_view(outcome, who.role)
    if outcome.refused:
        refusal = next(d["decision"] for d in outcome.decisions if not d["decision"]["allowed"])
        body.update(status=REFUSED, error=refusal["explanation"])
        status = REFUSED
    return status, shown(who, body)


def answered(who: Principal, outcome: Outcome, status: int = 200) -> JSONResponse:
    """The JSON answer to a command, as `answer` gives it."""
    code, body = answer(who, outcome, status)
    return JSONResponse(body, status_code=code)
