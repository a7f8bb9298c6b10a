"""The project's one error tree.

Every error a user can cause or meet is a `CorridorError` with context. The CLI
turns it into one line and exit code 2; the API into one JSON shape with the
status the class carries. Driver errors (sqlite3, psycopg) are translated into
this tree inside the adapters, so callers never see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class CorridorError(Exception):
    """Base of every error corridor raises on purpose."""

    status: int = 400
    exit_code: int = 2

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One defect in an input file: where it is, which field, what was expected."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path or '<root>'}: {self.message}"


class InvalidInput(CorridorError):
    """An input file or request is malformed; carries every problem found."""

    status = 422

    def __init__(
        self, message: str, problems: list[Problem] | None = None, **context: object
    ) -> None:
        super().__init__(message, **context)
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join(str(p) for p in self.problems)


class NotFound(CorridorError):
    """A named thing (operation, site, trip, file) does not exist."""

    status = 404


class IntegrityError(CorridorError):
    """The ledger refused a write that would break one of its invariants."""

    status = 409


class ConcurrencyError(IntegrityError):
    """Another writer appended to the stream first; reload and retry."""

    status = 409


class LedgerCorrupted(CorridorError):
    """The hash chain or sequence does not verify; names the first bad sequence."""

    status = 500

    def __init__(self, message: str, sequence: int) -> None:
        super().__init__(message, sequence=sequence)
        self.sequence = sequence


class StoreUnavailable(CorridorError):
    """The database could not be reached or opened."""

    status = 503


class Forbidden(CorridorError):
    """The caller's role may not do or see this."""

    status = 403


class Unauthorized(CorridorError):
    """No valid token was presented."""

    status = 401


class Infeasible(CorridorError):
    """A planning instance cannot be solved; says which group, where, how many short."""

    status = 422

    def __init__(self, message: str, shortfalls: list[Shortfall] | None = None) -> None:
        super().__init__(message)
        self.shortfalls: list[Shortfall] = list(shortfalls or [])


@dataclass(frozen=True)
class Shortfall:
    """What is missing for an instance to be feasible."""

    group: str
    where: str
    missing: int
    reason: str = field(default="")

    def __str__(self) -> str:
        text = f"{self.missing} {self.group} at {self.where}"
        return f"{text}: {self.reason}" if self.reason else text
