"""Submissions from ODK Collect and KoboCollect, through the same handlers as every interface.

One use case: take the submissions a server exported (already read into
`Submission` values by an adapter), turn each into the command its form
means, and hand it to `bus.handle` with the submission's instance id as the
idempotency key. So a file imported twice, or the same submission reached
through a Kobo CSV and then ODK Central's feed, is appended once; the
second time it counts as "already had". Each submission stands alone: a
malformed one is refused with its row and field named and the others go in,
because a monitor's forty good counts must not wait on one typo.

A headcount or arrival names a vehicle; the trip is the one that vehicle is
on now (the custody book's live vehicles); a submission already in the
ledger is "already had" even when its vehicle is on no trip any more. The
time of a count is the form's `end` (when the monitor finished it on the
phone) in a live operation; an exercise runs on its own clock, where a
phone's wall time means nothing, so there the handler stamps operation time.
Who submitted is not recorded: a submitter name is a person's name, and the
ledger's actor reaches every role; the importer's actor is recorded instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from corridor.domain.custody import Counts, counts
from corridor.domain.door import SEVERITIES, Rejected
from corridor.domain.operation_clock import ClockMode
from corridor.domain.scenario import Group
from corridor.errors import CorridorError
from corridor.services import commands
from corridor.services.bus import Services, handle
from corridor.services.form_choices import field_of
from corridor.services.live import OperationRecord

__all__ = ["FORMS", "ImportSummary", "Refusal", "Submission", "import_submissions", "key_of"]

FORMS = ("headcount", "arrival", "incident")
KEY_PREFIX = "form-submission:"
MAX_INSTANCE = 200
"""ODK's ids are `uuid:` and 36 characters; anything far longer is not an instance id."""
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Submission:
    """One submission as read from an export: its place in the file and its fields by name.

    `fields` are keyed by the form's field name (the last part of a group
    path): `site`, `civilians`, `corridor_form`; `instance` is its instance
    id (`uuid:` prefix and all), None when the export had none.
    """

    row: int
    instance: str | None
    fields: Mapping[str, str]


@dataclass(frozen=True)
class Refusal:
    """A submission that was not recorded: where it was and why (field, value, what is allowed)."""

    row: int
    instance: str | None
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass
class ImportSummary:
    """What an import did with every submission it was given."""

    accepted: int = 0
    already_had: int = 0
    blocked: int = 0
    """Accepted submissions in which the deal blocked what they asked (a crossing)."""
    refused: list[Refusal] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.accepted + self.already_had + len(self.refused)

    def payload(self) -> dict[str, object]:
        return {
            "submissions": self.total,
            "accepted": self.accepted,
            "already_had": self.already_had,
            "blocked": self.blocked,
            "refused": [
                {"row": r.row, "instance": r.instance, "reason": r.reason} for r in self.refused
            ],
        }


def key_of(instance: str) -> str:
    """The idempotency key of a submission: one per instance, whichever server exported it."""
    return KEY_PREFIX + instance.strip().removeprefix("uuid:")


def import_submissions(
    services: Services,
    submissions: Iterable[Submission],
    actor: str,
    operation: str | None = None,
) -> ImportSummary:
    """Record every well-formed submission once; refuse the others with row and field."""
    summary = ImportSummary()
    for submission in submissions:
        try:
            _one(services, submission, actor, operation, summary)
        except Rejected as rejected:
            summary.refused.append(Refusal(submission.row, submission.instance, str(rejected)))
        except CorridorError as error:
            summary.refused.append(Refusal(submission.row, submission.instance, error.message))
    return summary


def _one(
    services: Services,
    submission: Submission,
    actor: str,
    operation: str | None,
    summary: ImportSummary,
) -> None:
    fields = submission.fields
    instance = (submission.instance or "").strip()
    if not instance.removeprefix("uuid:"):
        raise Rejected("meta/instanceID", "", "an instance id", "is missing")
    if len(instance) > MAX_INSTANCE:
        raise Rejected("meta/instanceID", "", f"at most {MAX_INSTANCE} characters", "is too long")
    key = key_of(instance)
    try:
        command = _parsed(services, fields, operation)
    except (Rejected, CorridorError):
        # What was recorded stays recorded: a vehicle whose trip has closed
        # since, or a form changed since, does not turn a kept row into a refusal.
        if services.live.ledger.recorded_command(key) is not None:
            summary.already_had += 1
            return
        raise
    outcome = handle(services, command, actor, key)  # a kept key replays: nothing appended
    if outcome.result.replayed:
        summary.already_had += 1
        return
    summary.accepted += 1
    if outcome.refused:
        summary.blocked += 1


def _parsed(
    services: Services, fields: Mapping[str, str], operation: str | None
) -> commands.Command:
    form = _text(fields, "corridor_form", FORMS)
    named = _text(fields, "corridor_operation")
    if operation is not None and named != operation:
        raise Rejected(
            "corridor_operation", named, (operation,), "is not the operation being imported"
        )
    command: commands.Command = services.live.read(named, lambda r: _command(r, form, fields))
    return command


def _command(record: OperationRecord, form: str, fields: Mapping[str, str]) -> commands.Command:
    at = _at(record, fields)
    if form == "incident":
        return commands.ReportIncident(
            record.id,
            kind=_text(fields, "kind"),
            severity=_whole(fields, "severity", SEVERITIES),
            corridor=_text(fields, "corridor"),
            site=_text(fields, "site"),
            note=fields.get("note", "").strip(),
            at=at,
        )
    site = _text(fields, "site")
    vehicle = _text(fields, "vehicle")
    live = record.book.live_vehicles()
    trip = live.get(vehicle)
    if trip is None:
        raise Rejected("vehicle", vehicle, tuple(live), "is on no open trip")
    people = _counts(record, fields)
    if form == "arrival":
        return commands.ArriveTrip(record.id, trip, site, people, at)
    return commands.CountTrip(record.id, trip, site, people, at)


def _text(fields: Mapping[str, str], name: str, allowed: tuple[str, ...] = ()) -> str:
    value = fields.get(name, "").strip()
    if not value:
        raise Rejected(name, "", allowed or "a value", "is missing")
    if allowed and value not in allowed:
        raise Rejected(name, value, allowed, "is not known")
    return value


def _whole(fields: Mapping[str, str], name: str, allowed: range) -> int:
    value = _text(fields, name)
    span = f"{allowed.start} to {allowed.stop - 1}"
    try:
        number = int(value)
    except ValueError:
        raise Rejected(name, value, span, "is not a whole number") from None
    if number not in allowed:
        raise Rejected(name, value, span, "is out of range")
    return number


def _counts(record: OperationRecord, fields: Mapping[str, str]) -> Counts:
    found: dict[Group, int] = {}
    for group in Group:
        name = field_of(group)
        value = fields.get(name, "").strip()
        if not value:
            continue
        try:
            number = int(value)
        except ValueError:
            raise Rejected(f"counts/{name}", value, "0 or more", "is not a count") from None
        if number < 0:
            raise Rejected(f"counts/{name}", value, "0 or more", "is not a count")
        found[group] = number
    if not found:
        raise Rejected("counts", "", "a count for at least one group", "is missing")
    return counts(found)


def _at(record: OperationRecord, fields: Mapping[str, str]) -> datetime | None:
    if record.clock.mode is not ClockMode.LIVE:
        return None
    value = fields.get("end", "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Rejected("end", value, "an ISO 8601 time with offset", "is not a time") from None
    if moment.tzinfo is None:
        raise Rejected("end", value, "an ISO 8601 time with offset", "has no UTC offset")
    moment = moment.astimezone(UTC)
    if not EARLIEST <= moment <= LATEST:
        raise Rejected("end", value, "1900 to 9999", "is out of range")
    return moment
