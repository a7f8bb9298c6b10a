"""`GET /ledger/head`: the ledger's head and its newest signed checkpoint.

An observer or auditor keeps what this answers outside the database and later
holds the ledger to it (`corridor ledger verify --expect-head`, or the
checkpoint with `--checkpoints`). Sequence numbers, hashes and signatures
name nobody, so any valid token may read them. The witness file is the one
`serve` was given (`CORRIDOR_CHECKPOINTS`); without one, `checkpoint` is null.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from corridor.adapters.ledger.anchoring import signed_head
from corridor.entrypoints.api.auth import Caller, Context
from corridor.entrypoints.api.errors import ERROR_RESPONSES

router = APIRouter(responses=ERROR_RESPONSES, tags=["ledger"])


@router.get("/ledger/head")
def ledger_head(request: Request, who: Caller, ctx: Context) -> Any:
    """The head (sequence, hash) and the newest checkpoint that signs a head, if any."""
    checkpoints = getattr(request.app.state, "checkpoints", None)
    return signed_head(ctx.ledger, checkpoints).as_dict()
