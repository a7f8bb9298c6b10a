"""The engine's answer: allowed or blocked, the terms that decided it, and why.

A decision keeps one finding per term it consulted. The deciding terms are
the blocking findings when blocked, and every consulted term when allowed, so
a negotiator always sees which clauses the answer rests on. The explanation
is one sentence built only from the findings, so it is as deterministic as
they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

Figure = int | float | str | bool | None | list[str]


class Finding(NamedTuple):
    """What one term (or, with an empty `term`, the scenario itself) says about a request.

    The reason is kept as a template and its arguments and only rendered when
    read, so deciding stays cheap when nobody reads the words. A named tuple,
    not a dataclass, because the engine builds several per decision and
    tuples are the cheapest immutable values Python makes.
    """

    term: str
    kind: str
    label: str
    passed: bool
    template: str
    args: tuple[object, ...] = ()
    figures: tuple[tuple[str, Figure], ...] = ()

    @property
    def reason(self) -> str:
        return self.template.format(*self.args) if self.args else self.template

    def payload(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "kind": self.kind,
            "label": self.label,
            "passed": self.passed,
            "reason": self.reason,
            "figures": dict(self.figures),
        }

    @property
    def cited(self) -> str:
        if not self.term:
            return f"the scenario ({self.label})"
        return f"{self.term} ({self.label})"


@dataclass(frozen=True, slots=True)
class Decision:
    """Allowed or blocked, with every finding and a one-sentence explanation."""

    allowed: bool
    request: str
    findings: tuple[Finding, ...]

    @property
    def deciding(self) -> tuple[Finding, ...]:
        if self.allowed:
            return self.findings
        return tuple(f for f in self.findings if not f.passed)

    @property
    def terms(self) -> tuple[tuple[str, str], ...]:
        """(id, kind) of every deciding term, in agreement order."""
        return tuple((f.term, f.kind) for f in self.deciding if f.term)

    @property
    def explanation(self) -> str:
        deciding = self.deciding
        if not self.allowed:
            parts = [f"{f.cited}: {f.reason}" for f in deciding]
            return "Blocked by " + "; and by ".join(parts) + "."
        if not deciding:
            return "Allowed: no term of the agreement governs this request."
        parts = [f"{f.cited}: {f.reason}" for f in deciding]
        return "Allowed by " + "; ".join(parts) + "."

    def payload(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "request": self.request,
            "terms": [{"id": t, "kind": k} for t, k in self.terms],
            "explanation": self.explanation,
            "findings": [f.payload() for f in self.findings],
        }


def decision_from_payload(payload: dict[str, Any]) -> Decision:
    """Rebuild a stored decision (figures come back as JSON gives them)."""
    return Decision(
        allowed=bool(payload["allowed"]),
        request=str(payload["request"]),
        findings=tuple(
            Finding(
                term=f["term"],
                kind=f["kind"],
                label=f["label"],
                passed=bool(f["passed"]),
                template=str(f["reason"]),
                args=(),
                figures=tuple(f["figures"].items()),
            )
            for f in payload["findings"]
        ),
    )
