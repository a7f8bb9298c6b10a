"""Disruption files: a valid model is read whole; bad input names file:line:column."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from corridor.adapters.disruption_file import load_disruption_file
from corridor.domain.scenario import Corridor, Link, Scenario
from corridor.errors import InvalidInput
from corridor.simulation.disruption import HaltKind, Scripted
from corridor.simulation.distributions import Shape
from tests.support.simulation_world import aleppo_like

VALID = """\
incidents:
  - corridor: ramouseh-road
    rate_per_day: 0.5
    kinds: {shooting: 0.5, blocked-convoy: 0.3, detention: 0.2}
    severity: {1: 0.6, 2: 0.3, 3: 0.1}
    verification: {dist: exponential, mean: 45}
    suspension: {dist: lognormal, mean: 480, sd: 240}
    suspend_at: 2
checkpoints:
  - site: ramouseh
    screening: {dist: triangular, low: 2, mode: 4, high: 10}
breakdowns: {per_trip: 0.02, repair: 90}
weather:
  - {from: 2016-12-21T18:00, to: 2016-12-22T12:00, factor: 1.8, note: snowstorm}
timeline:
  - action: halt
    from: 2016-12-16T09:00
    to: 2016-12-18T23:00
    note: halt all movement
  - action: turn-back
    site: ramouseh
    from: +2h
    to: +3h
  - action: incident
    corridor: foua-road
    from: +30m
    kind: shooting
    severity: 3
    verification_minutes: 30
    suspension_minutes: 600
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "disruption.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_every_section_of_a_valid_file_is_read(tmp_path: Path) -> None:
    """Incidents, screening, breakdowns, weather, timeline and handling all arrive."""
    model = load_disruption_file(_write(tmp_path, VALID), aleppo_like())
    risk = model.incidents[0]
    assert (risk.corridor, risk.rate_per_day, risk.suspend_at) == ("ramouseh-road", 0.5, 2)
    assert [w.value for w in risk.severities] == ["1", "2", "3"]
    assert risk.suspension.shape is Shape.LOGNORMAL
    screening = model.screening_at("ramouseh")
    assert screening is not None
    assert screening.expected() == pytest.approx(16 / 3)
    assert model.breakdowns.per_trip == 0.02
    assert model.breakdowns.repair.expected() == 90
    # Start is 2016-12-15T05:00: 16 Dec 09:00 is 28 hours later, 18 Dec 23:00 is 90.
    halt, turn_back, incident = model.timeline
    assert halt.action is Scripted.HALT
    assert (halt.start, halt.end) == (28 * 60, 90 * 60)
    assert (turn_back.start, turn_back.end, turn_back.site) == (120, 180, "ramouseh")
    assert (incident.corridor, incident.severity, incident.suspension) == ("foua-road", 3, 600)
    assert model.weather[0].factor == 1.8
    assert model.slowdown((6 * 24 + 14) * 60) == 1.8


BAD = [
    (
        "zero incident rate",
        "incidents:\n  - corridor: ramouseh-road\n    rate_per_day: 0\n",
        "3:19",
        "incidents[0].rate_per_day: expected a number > 0, found 0",
    ),
    (
        "negative incident rate",
        "incidents:\n  - corridor: ramouseh-road\n    rate_per_day: -2\n",
        "3:19",
        "expected a number > 0, found -2",
    ),
    (
        "negative screening time",
        "checkpoints:\n  - site: ramouseh\n    screening: -3\n",
        "3:16",
        "checkpoints[0].screening",
    ),
    (
        "unknown corridor",
        "incidents:\n  - corridor: nowhere\n    rate_per_day: 1\n",
        "2:15",
        "no corridor 'nowhere'",
    ),
    (
        "timeline names an unknown site",
        "timeline:\n  - {action: turn-back, site: atlantis, from: +1h, to: +2h}\n",
        "2:31",
        "timeline[0].site: no site 'atlantis'",
    ),
    (
        "timeline names an unknown movement",
        "timeline:\n  - {action: halt, movement: madaya, from: +1h, to: +2h}\n",
        "2:30",
        "timeline[0].movement: no movement 'madaya'",
    ),
    (
        "overlapping halts of one scope",
        "timeline:\n  - {action: halt, from: +1h, to: +5h}\n"
        "  - {action: halt, from: +4h, to: +9h}\n",
        "3:5",
        "timeline[1]: halt on all movement overlaps timeline[0]",
    ),
    (
        "halt and turn-back at one site at once",
        "timeline:\n  - {action: halt, site: ramouseh, from: +1h, to: +5h}\n"
        "  - {action: turn-back, site: ramouseh, from: +2h, to: +3h}\n",
        "3:5",
        "turn-back contradicts halt",
    ),
    (
        "an end before the start",
        "timeline:\n  - {action: halt, from: +5h, to: +1h}\n",
        "2:35",
        "timeline[0].to: must be after from",
    ),
    (
        "a time before the operation",
        "timeline:\n  - {action: halt, from: 2016-12-01T00:00, to: +1h}\n",
        "2:26",
        "is before the operation starts",
    ),
    (
        "an unknown key",
        "incidnets: []\n",
        "1:1",
        "unknown key 'incidnets'",
    ),
    (
        "overlapping weather",
        "weather:\n  - {from: +1h, to: +5h, factor: 2}\n  - {from: +2h, to: +3h, factor: 1.5}\n",
        "3:5",
        "overlaps weather[0]",
    ),
]


@pytest.mark.parametrize(
    ("text", "where", "message"), [case[1:] for case in BAD], ids=[case[0] for case in BAD]
)
def test_bad_input_is_refused_with_its_position(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    """Each defect is reported at file:line:column with the field path and what was wrong."""
    path = _write(tmp_path, text)
    with pytest.raises(InvalidInput) as caught:
        load_disruption_file(path, aleppo_like())
    report = str(caught.value)
    assert f"{path}:{where}:" in report, report
    assert message in report, report


def test_timeline_entries_given_as_instants_and_as_offsets_land_on_the_same_minute(
    tmp_path: Path,
) -> None:
    """`at: 2016-12-16T09:00+02:00` and `from: +28h` name one minute (start 05:00 local)."""
    text = """\
    timeline:
      - {action: halt, at: "2016-12-16T09:00+02:00", to: "2016-12-16T11:00+02:00"}
      - {action: halt, movement: foua-kefraya, from: +28h, to: +30h}
      - {action: halt, corridor: ramouseh-road, at: "2016-12-16T07:00Z", to: +31h}
    """
    model = load_disruption_file(_write(tmp_path, text), aleppo_like())
    assert [(e.start, e.end) for e in model.timeline] == [
        (28 * 60, 30 * 60),
        (28 * 60, 30 * 60),
        (28 * 60, 31 * 60),
    ]


def test_a_files_start_is_minute_zero_of_its_times(tmp_path: Path) -> None:
    """With `start: 2016-12-16T05:00+02:00`, 09:00 that day is minute 240."""
    from corridor.adapters.disruption_file import read_disruption
    from corridor.adapters.yaml_marks import load_yaml_file_with_marks

    text = (
        'start: "2016-12-16T05:00+02:00"\n'
        'timeline:\n  - {action: halt, at: "2016-12-16T09:00", to: +5h}\n'
    )
    path = _write(tmp_path, text)
    model, start = read_disruption(load_yaml_file_with_marks(path, str(path)), aleppo_like())
    assert start == "2016-12-16T05:00"
    assert (model.timeline[0].start, model.timeline[0].end) == (240.0, 300.0)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "timeline:\n  - {action: halt, at: +1h, from: +1h, to: +2h}\n",
            "2:24",
            "give from: or at:",
        ),
        ("timeline:\n  - {action: halt, to: +2h}\n", "2:5", "missing required field 'from'"),
        ("start: soon\n", "1:8", "expected a start instant"),
        (
            "start: 2016-12-17T05:00\n"
            "timeline:\n  - {action: halt, at: 2016-12-16T09:00, to: +1h}\n",
            "3:24",
            "before the operation starts (2016-12-17T05:00+02:00)",
        ),
    ],
    ids=["from-and-at", "no-time", "bad-start", "before-the-files-start"],
)
def test_bad_instants_are_refused_with_their_position(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    """Two times for one entry, none, a bad start, or a time before it: file:line:column."""
    path = _write(tmp_path, text)
    with pytest.raises(InvalidInput) as caught:
        load_disruption_file(path, aleppo_like())
    report = str(caught.value)
    assert message in report, report
    assert f"{path}:{where}:" in report, report


def test_a_halt_s_kind_and_an_exchange_s_partner_are_read(tmp_path: Path) -> None:
    """A halt is a stop unless it says dispatch or exchange; an exchange names its partner."""
    text = """\
    timeline:
      - {action: halt, from: +1h, to: +2h}
      - {action: halt, kind: dispatch, movement: east-aleppo, from: +3h, to: +4h}
      - action: halt
        kind: exchange
        movement: east-aleppo
        partner: foua-kefraya
        site: ramouseh
        from: +5h
        to: +9h
    """
    scenario = _exchange_scenario()
    stop, dispatch, exchange = load_disruption_file(_write(tmp_path, text), scenario).timeline
    assert (stop.halt, dispatch.halt, exchange.halt) == (
        HaltKind.STOP,
        HaltKind.DISPATCH,
        HaltKind.EXCHANGE,
    )
    assert (exchange.movement, exchange.partner, exchange.site) == (
        "east-aleppo",
        "foua-kefraya",
        "ramouseh",
    )


def _exchange_scenario() -> Scenario:
    """aleppo_like with the Foua road passing Ramouseh, so the two convoys can meet there."""
    base = aleppo_like()
    return replace(
        base,
        links=(
            *base.links,
            Link("l9", "ramouseh", "jibreen", 10.0),
            Link("l10", "foua", "ramouseh", 60.0),
        ),
        corridors=(base.corridors[0], Corridor("foua-road", ("foua", "ramouseh", "jibreen"))),
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{action: halt, kind: pause, from: +1h, to: +2h}", "unknown halt kind 'pause'"),
        (
            "{action: halt, kind: exchange, movement: east-aleppo, from: +1h, to: +2h}",
            "an exchange halt names movement:, partner: and the exchange site:",
        ),
        (
            "{action: halt, kind: exchange, movement: east-aleppo, partner: foua-kefraya,"
            " site: rashidin, from: +1h, to: +2h}",
            "timeline[0].partner: movement 'foua-kefraya' does not pass site 'rashidin'",
        ),
        (
            "{action: halt, partner: foua-kefraya, from: +1h, to: +2h}",
            "only an exchange halt names a partner movement",
        ),
    ],
    ids=["unknown kind", "exchange without partner", "partner off the site", "partner on a stop"],
)
def test_a_bad_halt_kind_is_refused_naming_what_is_allowed(
    tmp_path: Path, entry: str, message: str
) -> None:
    """Halt kinds and exchanges are checked against the scenario before any run."""
    path = _write(tmp_path, f"timeline:\n  - {entry}\n")
    with pytest.raises(InvalidInput) as caught:
        load_disruption_file(path, _exchange_scenario())
    assert message in str(caught.value), str(caught.value)
