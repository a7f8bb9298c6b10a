"""A batch of captures from one device's outbox: one request, each capture on its own.

Sending a queue one capture a request costs a round trip and the API guard's
two durable writes (its pending key and stored answer) per capture. A batch
carries up to `MAX_BATCH` captures, in the order taken, each with its own
idempotency key; each goes through `services.bus.handle` under that key
(namespaced by the caller, as the guard does), so the ledger keeps each once
across a re-sent batch, a restart, or a capture sent once alone and once in
a batch: the bus answers a key it has with that key's first events.

Each capture is checked by itself: a malformed one is refused naming its
index and field, and the others go in. The answer has one result per
capture, with the status and body the single route would give it. The batch
stops at the first capture that must be retried (a lost store, a conflict
that recorded nothing) so that no later capture overtakes it; those after
it are answered `not tried`, and the device sends them again. Decision 0020.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corridor.entrypoints.api.answers import answer
from corridor.entrypoints.api.errors import (
    LOST_MESSAGE,
    STORE_LOST,
    error_body,
    invalid_message,
    store_lost,
)
from corridor.entrypoints.api.guard import KEY_RULE, key_allowed, namespaced_key
from corridor.entrypoints.web.field.captures import Capture, as_command
from corridor.errors import CorridorError, NotFound
from corridor.protection.access import Principal
from corridor.services.boarding import board_by_manifest
from corridor.services.bus import Outcome, Services, handle
from corridor.services.personal_data import PersonalData

MAX_BATCH = 50
"""Captures in one batch: enough to pay a round trip off, few enough to answer promptly."""
Result = Literal["accepted", "already had", "refused", "not tried"]


class Batch(BaseModel):
    """The request: the captures, each as the device stored it (checked one by one)."""

    model_config = ConfigDict(extra="forbid")
    captures: Annotated[list[Any], Field(min_length=1, max_length=MAX_BATCH)]


def _refusal(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def _retry(status: int, body: dict[str, Any]) -> bool:
    """Whether the device must send this capture again: nothing was decided."""
    return status >= 500 or status == 429 or (status == 409 and "events" not in body)


def _result(index: int, key: str, result: Result, status: int, body: Any) -> dict[str, Any]:
    return {"index": index, "key": key, "result": result, "status": status, "body": body}


def _outcome(
    services: Services, personal: PersonalData | None, who: Principal, operation: str,
    capture: Capture, key: str,
) -> Outcome:  # fmt: skip
    if capture.kind == "boarding" and capture.manifest is not None:
        # Its checks (the trip still planned) refuse a re-sent boarding before
        # the bus sees its key, so the key is looked up first.
        recorded = services.live.ledger.recorded_command(key)
        if recorded is not None:
            return Outcome(recorded, {})
        if personal is None:
            raise NotFound("this server was started without a vault key; board by counts instead")
        return board_by_manifest(
            services, personal, who, operation, capture.trip or "", capture.site,
            capture.manifest, capture.at, key,
        )  # fmt: skip
    permission, command = as_command(operation, capture, who.actor)
    who.require(permission, operation)
    return handle(services, command, who.actor, key)


def record_batch(
    services: Services,
    personal: PersonalData | None,
    who: Principal,
    operation: str,
    authorization: bytes,
    batch: Batch,
) -> list[dict[str, Any]]:
    """One result per capture, in order: each recorded under its own key, or why not."""
    results: list[dict[str, Any]] = []
    stopped = False
    for index, raw in enumerate(batch.captures):
        given = raw.get("key") if isinstance(raw, dict) else None
        key = given if isinstance(given, str) and key_allowed(given) else ""
        if stopped:
            results.append(_result(index, key, "not tried", 0, None))
            continue
        if not key:
            message = f"captures.{index}.key: {KEY_RULE}"
            results.append(_result(index, key, "refused", 422, _refusal(422, message)))
            continue
        body = raw.get("capture")
        try:
            capture = Capture.model_validate(body)
        except ValidationError as invalid:
            where = [
                {**e, "loc": ("captures", index, "capture", *e["loc"])} for e in invalid.errors()
            ]
            message = invalid_message(where)
            results.append(_result(index, key, "refused", 422, _refusal(422, message)))
            continue
        try:
            outcome = _outcome(
                services, personal, who, operation, capture, namespaced_key(authorization, key)
            )
        except STORE_LOST as error:
            store_lost(error)
            results.append(_result(index, key, "not tried", 503, _refusal(503, LOST_MESSAGE)))
            stopped = True
            continue
        except CorridorError as error:
            refused = error_body(error)
            stopped = _retry(error.status, refused)
            results.append(_result(index, key, "refused", error.status, refused))
            continue
        status, shown = answer(who, outcome, 201)
        results.append(
            _result(index, key, "already had" if outcome.result.replayed else "accepted",
                    status, shown)
        )  # fmt: skip
    return results
