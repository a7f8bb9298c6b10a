"""The deal's staged and paced links as figures: both sides' progress, the stage, hold or block.

One view for every interface that draws the links (the dashboard's deal
panel and its JSON twin): counts only, so liaisons and observers see the
same figures as the coordination cell.
"""

from __future__ import annotations

from typing import Any

from corridor.domain.agreement.progress import LinkProgress, Side, link_progress
from corridor.services.live import OperationRecord


def _side(side: Side) -> dict[str, Any]:
    return {
        "movement": side.movement,
        "counts": side.counts,
        "done": side.done,
        "figure": side.figure,
        "share": side.share,
        "dispatched": side.dispatched,
        "confirmed": side.confirmed,
        "total": side.total,
    }


def link_view(link: LinkProgress) -> dict[str, Any]:
    return {
        "term": link.term,
        "kind": link.kind,
        "holds": link.holds,
        "case": link.case,
        "monitor": link.monitor,
        "stage": link.stage,
        "stages": link.stages,
        "ratio": link.ratio,
        "allowance": link.allowance,
        "movement": _side(link.movement),
        "linked": _side(link.linked),
    }


def deal_links_view(record: OperationRecord) -> list[dict[str, Any]]:
    """Every staged and paced link of the operation's deal now; none without a deal."""
    if record.agreement is None:
        return []
    return [link_view(link) for link in link_progress(record.agreement)]
