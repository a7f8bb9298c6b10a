"""`corridor reception allocate|needs|forecast`: figures printed, files written, clean errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.adapters.scenario_file import bundled_path, load_bundled
from corridor.entrypoints.cli.main import app
from corridor.protection.access import AccessRole
from tests.support.api_world import api_world

runner = CliRunner()


def test_allocate_places_everyone_and_writes_its_files(tmp_path: Path) -> None:
    """East Aleppo: every person placed, no site over its places, CSV/JSON/chart written."""
    out = tmp_path / "allocation"
    result = runner.invoke(
        app, ["reception", "allocate", "east-aleppo-2016", "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["placed"] == load_bundled("east-aleppo-2016").people()
    assert view["gap"] <= 0.01
    assert all(s["people"] <= s["places"] for s in view["sites"])
    for name in ("allocation.csv", "allocation.json", "occupancy.png"):
        assert (out / name).stat().st_size > 0


def test_an_allocation_short_of_places_exits_2_naming_the_shortfall(tmp_path: Path) -> None:
    """Cut Idlib's 20,000 civilian places to 2,000: an error naming civilians and full sites."""
    text = bundled_path("east-aleppo-2016").read_text(encoding="utf-8")
    small = text.replace("places: 20000", "places: 2000")  # capacity and shelter alike
    path = tmp_path / "short.yaml"
    path.write_text(small, encoding="utf-8")
    (tmp_path / "east-aleppo-2016.agreement.yaml").write_text(
        bundled_path("east-aleppo-2016")
        .with_name("east-aleppo-2016.agreement.yaml")
        .read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["reception", "allocate", str(path)])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output
    assert "civilians" in result.output
    assert "full" in result.output


def test_needs_prints_the_first_shortfall_days(tmp_path: Path) -> None:
    """Needs for 5 days name Sarmada's shortfalls by date and write needs.csv."""
    out = tmp_path / "needs"
    result = runner.invoke(
        app, ["reception", "needs", "east-aleppo-2016", "--days", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "short from 2016-12-15" in result.output
    assert "sarmada" in result.output
    assert (out / "needs.csv").read_text(encoding="utf-8").startswith("site,day,people,supply")


def test_forecast_from_simulated_runs_gives_bands_per_site(tmp_path: Path) -> None:
    """Three simulated runs: people arrived by each hour, per site, with p10 <= p50 <= p90."""
    result = runner.invoke(
        app, ["reception", "forecast", "east-aleppo-2016", "--runs", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["runs"] == 3
    assert view["arrivals_p50"] > 0
    so_far: dict[tuple[str, str, str], int] = {}
    for row in sorted(view["hours"], key=lambda r: (r["site"], r["hour"])):
        for band in ("p10", "p50", "p90"):
            for group, count in row[band].items():
                key = (row["site"], group, band)
                so_far[key] = so_far.get(key, 0) + count
        for group in row["p50"]:
            site = row["site"]
            low, mid, high = (so_far.get((site, group, b), 0) for b in ("p10", "p50", "p90"))
            assert low <= mid <= high, (row["hour"], site, group)


def test_a_forecast_without_a_source_is_refused() -> None:
    """Neither --plan nor --runs: exit 2 and say what is needed."""
    result = runner.invoke(app, ["reception", "forecast", "east-aleppo-2016"])
    assert result.exit_code == 2
    assert "--plan" in result.output


def test_forecast_from_a_ledger_counts_check_ins_and_the_road(tmp_path: Path) -> None:
    """Two ambulances on the road with the wounded and a bus arrived at al-Atarib: all forecast."""
    at = "2016-12-15T10:00:00+02:00"
    ops = "/operations/east-aleppo-2016"
    url = f"sqlite:///{tmp_path / 'corridor.db'}"
    wounded = {"wounded-stretcher": 1, "wounded-seated": 2}
    fleet = {"amb-1": "ambulance-aleppo-depot-1", "amb-2": "ambulance-aleppo-depot-2"}
    fleet["bus-1"] = "bus-aleppo-depot-1"
    with api_world(url) as world:
        loads = (("amb-1", wounded), ("amb-2", wounded), ("bus-1", {"civilians": 40}))
        for trip, people in loads:
            planned = {"trip": trip, "movement": "east-aleppo", "vehicle": fleet[trip]}
            world.ok(world.post(AccessRole.COORDINATOR, f"{ops}/trips", planned))
            board = {"site": "east-aleppo", "counts": people}
            world.ok(world.post(AccessRole.MONITOR, f"{ops}/trips/{trip}/boarding", board))
            depart = {"site": "east-aleppo", "at": at}
            answer = world.ok(world.post(AccessRole.MONITOR, f"{ops}/trips/{trip}/depart", depart))
            assert answer["ok"], answer
        arrive = {"site": "atareb", "counts": {"civilians": 40}, "at": at}
        world.ok(world.post(AccessRole.MONITOR, f"{ops}/trips/bus-1/arrival", arrive))
    result = runner.invoke(
        app, ["reception", "forecast", "east-aleppo-2016", "--db", url, "--json"]
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["source"].startswith("ledger, operation east-aleppo-2016, as of ")
    assert view["arrivals_p50"] == 40 + 6
    by_site = {row["site"]: row for row in view["hours"]}
    assert by_site["atareb"]["p50"]["civilians"] == 40
    assert by_site["idlib"]["p50"]["wounded-stretcher"] == 2
    assert by_site["idlib"]["p50"]["wounded-seated"] == 4
    placed = runner.invoke(
        app, ["reception", "allocate", "east-aleppo-2016", "--db", url, "--json"]
    )
    assert placed.exit_code == 0, placed.output
    allocation = json.loads(placed.stdout)
    assert allocation["placed"] == allocation["arrivals"] == 46
    beds = [p for p in allocation["placements"] if p["group"].startswith("wounded")]
    assert all(p["kind"].startswith("hospital-bed") for p in beds)
    assert sum(p["people"] for p in beds) == 6


def test_a_ledger_with_nobody_arrived_or_on_the_road_is_a_warning_or_an_error(
    tmp_path: Path,
) -> None:
    """A fresh operation: forecast warns (exit 0), allocate has nobody to place (exit 2)."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert runner.invoke(app, ["demo", "--db", url]).exit_code == 0
    forecast = runner.invoke(app, ["reception", "forecast", "east-aleppo-2016", "--db", url])
    assert forecast.exit_code == 0, forecast.output
    assert "warning: --db: ledger, operation east-aleppo-2016" in forecast.stderr
    assert "nobody has checked in at a reception site" in forecast.stderr
    allocate = runner.invoke(app, ["reception", "allocate", "east-aleppo-2016", "--db", url])
    assert allocate.exit_code == 2, allocate.output
    assert "nobody arrives at a reception site in the p50 band" in allocate.output


def test_an_allocation_short_at_one_site_names_the_exact_people_and_group(tmp_path: Path) -> None:
    """Jibreen cut to 3,000 places: Foua-Kefraya's civilians beyond them are named, exactly."""
    civilians = sum(
        p.count
        for p in load_bundled("east-aleppo-2016").populations
        if p.movement == "foua-kefraya" and p.group.value == "civilians"
    )
    text = bundled_path("east-aleppo-2016").read_text(encoding="utf-8")
    path = tmp_path / "jibreen.yaml"
    path.write_text(text.replace("places: 4000\n", "places: 3000\n"), encoding="utf-8")
    result = runner.invoke(app, ["reception", "allocate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {civilians - 3000:,} people have no shelter place: ")
    assert "civilians at movement foua-kefraya's destinations (jibreen)" in result.output
    assert "jibreen collective-centre 3,000/3,000" in result.output
