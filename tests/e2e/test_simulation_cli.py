"""`corridor simulate`: stable JSON, reports with charts, sweeps, and clear errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.adapters.scenario_file import bundled_path, load_bundled
from corridor.bootstrap import open_store, services_over
from corridor.domain.scenario import Group
from corridor.entrypoints.cli.main import app
from corridor.planning.plan import Load, Plan, PlannedTrip, PlannedVehicle

RUNNER = CliRunner()


def _simulate(*args: str) -> str:
    result = RUNNER.invoke(app, ["simulate", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _scenario_with_disruption(tmp_path: Path, disruption: str) -> Path:
    """The bundled tiny scenario, copied beside a disruption file it names."""
    text = bundled_path("tiny").read_text()
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(text + "\ndisruption: disruption.yaml\n")
    (tmp_path / "disruption.yaml").write_text(disruption)
    return scenario


def test_the_same_seed_prints_the_same_bytes_in_and_across_processes() -> None:
    """Twice with one worker and once with two: byte-identical JSON summaries."""
    args = ("tiny", "--runs", "10", "--seed", "9", "--json")
    first = _simulate(*args, "--workers", "1")
    again = _simulate(*args, "--workers", "1")
    pooled = _simulate(*args, "--workers", "2")
    assert first == again == pooled
    summary = json.loads(first)
    assert summary["runs"] == 10
    assert summary["seed"] == 9
    other = _simulate("tiny", "--runs", "10", "--seed", "10", "--json", "--workers", "1")
    assert other != first


def test_the_scenarios_own_disruption_section_is_used(tmp_path: Path) -> None:
    """A halt of everything for the first 10 hours pushes clearance past 10 hours."""
    scenario = _scenario_with_disruption(
        tmp_path, "timeline:\n  - {action: halt, from: +0m, to: +10h}\n"
    )
    quiet = json.loads(_simulate("tiny", "--runs", "4", "--json", "--workers", "1"))
    halted = json.loads(_simulate(str(scenario), "--runs", "4", "--json", "--workers", "1"))
    assert quiet["clearance_hours"]["p10"] < 10
    assert halted["clearance_hours"]["p10"] > 10
    assert halted["halts"]["mean"] == 1


def test_a_report_directory_gets_a_page_with_charts_and_the_summary(tmp_path: Path) -> None:
    """index.html embeds PNG charts; summary.json equals the --json output."""
    out = tmp_path / "report"
    printed = _simulate(
        "tiny",
        "--runs",
        "8",
        "--workers",
        "1",
        "--json",
        "--report",
        str(out),
        "--vary",
        "fleet.bus=2,6",
    )
    page = (out / "index.html").read_text()
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) >= 4
    assert "People moved over time" in page
    assert "Sweep" in page
    assert (out / "summary.json").read_text() == printed


def test_a_sweep_reports_every_cell() -> None:
    """Two vehicle counts give two cells with clearance and waiting percentiles."""
    summary = json.loads(
        _simulate("tiny", "--runs", "4", "--json", "--workers", "1", "--vary", "fleet.bus=2,6")
    )
    labels = [cell["label"] for cell in summary["sweep"]]
    assert labels == ["fleet.bus=2", "fleet.bus=6"]
    for cell in summary["sweep"]:
        assert set(cell["clearance_hours"]) == {"p50", "p90"}


def test_without_json_a_table_is_printed() -> None:
    """People get a table of p10/p50/p90 and the convergence line."""
    output = _simulate("tiny", "--runs", "3", "--workers", "1")
    assert "clearance (h)" in output
    assert "CI half-width" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "0"], "--runs must be at least 1"),
        (["--runs", "-3"], "--runs must be at least 1"),
        (["--vary", "fleet.trains=3"], "no vehicle kind 'trains'"),
        (["--vary", "nonsense"], "expected PATH=V1,V2"),
        (["--deadline", "0"], "--deadline must be more than 0"),
        (["--plan", "p.json", "--vary", "fleet.bus=2"], "cannot change the vehicles"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(args: list[str], message: str) -> None:
    """User mistakes are one error line and exit code 2, no traceback."""
    result = RUNNER.invoke(app, ["simulate", "tiny", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_bad_disruption_section_names_its_file_line_and_column(tmp_path: Path) -> None:
    """A zero incident rate in the named file: exit 2 at disruption.yaml:3:19."""
    scenario = _scenario_with_disruption(
        tmp_path, "incidents:\n  - corridor: a-route\n    rate_per_day: 0\n"
    )
    result = RUNNER.invoke(app, ["simulate", str(scenario), "--runs", "2"])
    assert result.exit_code == 2, result.output
    assert re.search(r"disruption\.yaml:3:19: incidents\[0\]\.rate_per_day", result.output)


def test_a_disruption_option_overrides_the_scenarios_section(tmp_path: Path) -> None:
    """--disruption FILE is read instead, and its errors are reported the same way."""
    bad = tmp_path / "other.yaml"
    bad.write_text("timeline:\n  - {action: halt, movement: nobody, from: +1h, to: +2h}\n")
    result = RUNNER.invoke(app, ["simulate", "tiny", "--runs", "2", "--disruption", str(bad)])
    assert result.exit_code == 2, result.output
    assert "other.yaml:2:30: timeline[0].movement: no movement 'nobody'" in result.output


def test_the_scenarios_agreement_decides_unless_the_open_deal_is_asked_for(
    tmp_path: Path,
) -> None:
    """With Foua/Kefraya halted, the bundled deal stops East Aleppo at its first stage."""
    halt = tmp_path / "halt.yaml"
    halt.write_text("timeline:\n  - {action: halt, corridor: foua-kefraya, from: +0m, to: +6d}\n")
    # The horizon (140 h) ends inside the halt and leaves the open deal time
    # to take East Aleppo past its first stage while it also serves the
    # distant Madaya/Zabadani pickups.
    args = ("east-aleppo-2016", "--runs", "1", "--horizon", "140", "--json", "--workers", "1")
    dealt = json.loads(_simulate(*args, "--disruption", str(halt)))
    opened = json.loads(_simulate(*args, "--disruption", str(halt), "--open-deal"))
    assert dealt["deal"] == "aleppo-18-dec-2016"
    assert opened["deal"] == "open"
    # Stage 1 of East Aleppo is half its people (17,500); the next stage waits
    # for Foua/Kefraya's, which the halt never lets happen. The trip that
    # reaches the boundary leaves whole (at most one bus load beyond it: 50
    # seats + 70 standing).
    held = dealt["series"]["moved"]["east-aleppo"]["p50"][-1]
    free = opened["series"]["moved"]["east-aleppo"]["p50"][-1]
    assert 17_500 <= held <= 17_500 + 120 < free
    assert dealt["series"]["moved"]["foua-kefraya"]["p50"][-1] == 0
    # Madaya/Zabadani's stage waits on Foua/Kefraya's last one, so it never starts.
    assert dealt["series"]["moved"]["madaya-zabadani"]["p50"][-1] == 0


def test_the_bundled_deal_clears_every_movement_through_its_last_stage() -> None:
    """Madaya/Zabadani, whose one stage waits on Foua/Kefraya's last, still clears in the run."""
    args = ("east-aleppo-2016", "--runs", "1", "--json", "--workers", "1")
    summary = json.loads(_simulate(*args))
    scenario = load_bundled("east-aleppo-2016")
    assert summary["cleared_share"] == 1.0
    moved = {m: series["p50"][-1] for m, series in summary["series"]["moved"].items()}
    assert moved == {m.id: scenario.people(m.id) for m in scenario.movements}


def test_a_run_recorded_in_a_ledger_folds_back_to_what_it_moved(tmp_path: Path) -> None:
    """--ledger writes run 0 as an operation whose confirmed arrivals equal the people moved."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    args = ["east-aleppo-2016", "--runs", "1", "--workers", "1", "--horizon", "24"]
    printed = _simulate(*args, "--deadline", "24", "--json", "--ledger", url, "--operation", "sim")
    moved = json.loads(printed)["moved_by_deadline"]["p50"]
    with open_store(url) as store:
        assert store.verify().ok
        record = services_over(store).live.read("sim", lambda r: r)
    state = record.agreement
    assert state is not None
    assert moved > 0
    assert sum(state.confirmed.values()) == moved
    assert state.decisions > 0
    # The same run through custody: everyone confirmed arrived left on a recorded trip.
    tallies = record.book.tallies()
    assert sum(t.arrived for t in tallies) == moved
    assert all(t.balanced for t in tallies)


def test_a_ledger_needs_an_agreement_to_record() -> None:
    """With the open deal there are no agreement events to write: exit 2."""
    result = RUNNER.invoke(
        app, ["simulate", "tiny", "--runs", "1", "--ledger", "sqlite:///unused.db"]
    )
    assert result.exit_code == 2, result.output
    assert "needs the scenario's agreement" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "plan.json:1:2: not JSON"), ('{"scenario": "tiny"}', "not a plan")],
)
def test_a_bad_plan_file_exits_2(tmp_path: Path, content: str, message: str) -> None:
    """--plan must name a plan written by `corridor plan`."""
    (tmp_path / "plan.json").write_text(content)
    result = RUNNER.invoke(app, ["simulate", "tiny", "--runs", "1", "--plan", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_plan_that_does_not_fit_the_scenario_exits_2(tmp_path: Path) -> None:
    """Every unknown vehicle kind, site and movement of the plan is named."""
    plan = Plan(
        scenario="tiny",
        vehicles=(PlannedVehicle("v1", "hovercraft", "depot"),),
        trips=(
            PlannedTrip(
                vehicle="v1",
                sequence=0,
                movement="gamma",
                origin="town-a",
                destination="atlantis",
                loads=(Load(Group.CIVILIANS, 5),),
                leave=0.0,
                pickup=0.0,
                depart=0.0,
                arrive=60.0,
            ),
        ),
        makespan=60.0,
        lower_bound=0.0,
        person_hours_waiting=0.0,
        engine="hand",
    )
    (tmp_path / "plan.json").write_text(json.dumps(plan.to_dict()))
    result = RUNNER.invoke(app, ["simulate", "tiny", "--runs", "1", "--plan", str(tmp_path)])
    assert result.exit_code == 2, result.output
    for fragment in ("no vehicle kind 'hovercraft'", "no movement 'gamma'", "no site 'atlantis'"):
        assert fragment in result.output


def test_an_inline_disruption_section_reports_positions_in_the_scenario_file(
    tmp_path: Path,
) -> None:
    """Errors inside `disruption:` point into the scenario file, under that key."""
    text = bundled_path("tiny").read_text()
    lines = len(text.splitlines())
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(
        text + "\ndisruption:\n  incidents:\n    - {corridor: a-route, rate_per_day: -1}\n"
    )
    result = RUNNER.invoke(app, ["simulate", str(scenario), "--runs", "1"])
    assert result.exit_code == 2, result.output
    expected = f"tiny.yaml:{lines + 4}:41: disruption.incidents[0].rate_per_day"
    assert expected in result.output


def test_recording_into_an_operation_that_exists_writes_nothing(tmp_path: Path) -> None:
    """The second recording under the same operation id is refused whole."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    args = ["east-aleppo-2016", "--runs", "1", "--workers", "1", "--horizon", "6"]
    _simulate(*args, "--json", "--ledger", url, "--operation", "sim")
    with open_store(url) as store:
        before = store.head()
    result = RUNNER.invoke(app, ["simulate", *args, "--ledger", url, "--operation", "sim"])
    assert result.exit_code == 2, result.output
    assert "already open" in result.output
    with open_store(url) as store:
        assert store.head() == before
