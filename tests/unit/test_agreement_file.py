"""Agreement files: good ones load, and every defect is named at file:line with its path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.adapters.agreement_file import agreement_json_schema, load_agreement_ref
from corridor.entrypoints.cli.main import app
from corridor.errors import NotFound

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
format: 1
id: tiny-deal
name: Tiny exchange deal
version_note: Synthetic deal for tests.
scenario: tiny
parties: [side-a, side-c]
guarantors: [broker]
monitors: [neutral]
terms:
  - id: T1
    kind: window
    text: Both move on the first two days, by day.
    movements: [alpha, beta]
    from: 2020-01-01
    until: 2020-01-02
    hours: "06:00-18:00"
  - id: T2
    kind: staged-link
    text: Alpha in two halves, each after the matching half of beta.
    movement: alpha
    linked: beta
    confirmed_by: neutral
    stages:
      - {alpha: 50%, beta: 60}
      - {alpha: rest, beta: rest}
  - id: T3
    kind: paced-link
    text: Beta at most one for one with alpha, plus 60.
    movement: beta
    linked: alpha
    ratio: 1
    allowance: 60
  - id: T4
    kind: suspension
    text: Shooting on the A route halts both until the broker resumes.
    movements: [alpha, beta]
    incident_kinds: [shooting]
    min_severity: 3
    corridor: a-route
    sites: [checkpoint]
    lifted_by: [broker]
  - id: T5
    kind: priority
    text: Wounded first; households whole.
    movements: [alpha]
    first: [wounded-stretcher, wounded-seated]
    keep_households: true
  - id: T6
    kind: cap
    text: At most 20 unaccompanied minors.
    movement: alpha
    group: unaccompanied-minors
    limit: 20
"""

runner = CliRunner()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deal.agreement.yaml"
    path.write_text(text)
    return path


def check(path: Path) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["agreement", "check", str(path), "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_a_good_agreement_loads_with_resolved_stages_and_no_warnings(tmp_path: Path) -> None:
    """Shares and 'rest' become people of the scenario; nothing to warn about."""
    loaded = load_agreement_ref(write(tmp_path, GOOD))
    assert loaded.warnings == ()
    stages = loaded.agreement.term("T2").stages  # type: ignore[union-attr]
    assert [(s.movement_people, s.linked_people) for s in stages] == [(190, 60), (190, 60)]
    assert loaded.scenario_ref == "tiny"


def line_of(text: str, marker: str) -> int:
    """1-based number of the first line of `text` containing `marker`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


@pytest.mark.parametrize(
    ("old", "new", "marker", "path", "message"),
    [
        (
            "[alpha, beta]\n    from",
            "[alpha, gamma]\n    from",
            "gamma",
            "terms[0].movements[1]",
            "unknown movement 'gamma'",
        ),
        (
            "parties: [side-a, side-c]",
            "parties: [side-a, side-x]",
            "side-x",
            "parties[1]",
            "unknown party 'side-x'",
        ),
        (
            "parties: [side-a, side-c]",
            "parties: [side-a, broker]",
            "parties",
            "parties[1]",
            "is a guarantor in the scenario, not a party",
        ),
        (
            "sites: [checkpoint]",
            "sites: [nowhere]",
            "nowhere",
            "terms[3].sites[0]",
            "unknown site 'nowhere'",
        ),
        (
            "corridor: a-route",
            "corridor: z-route",
            "z-route",
            "terms[3].corridor",
            "unknown corridor 'z-route'",
        ),
        (
            "confirmed_by: neutral",
            "confirmed_by: broker",
            "confirmed_by",
            "terms[1].confirmed_by",
            "not a monitor",
        ),
        ("ratio: 1\n", "ratio: 0\n", "ratio", "terms[2].ratio", "expected a number > 0, found 0"),
        ("ratio: 1\n", "ratio: -2.5\n", "ratio", "terms[2].ratio", "expected a number > 0"),
        (
            "until: 2020-01-02",
            "until: 2019-12-31",
            "until",
            "terms[0].until",
            "ends 2019-12-31, before it starts 2020-01-01",
        ),
        (
            'hours: "06:00-18:00"',
            'hours: "06:00-06:00"',
            "hours",
            "terms[0].hours",
            "opening and closing hours are the same",
        ),
        ("kind: cap", "kind: quota", "quota", "terms[5].kind", "unknown term kind 'quota'"),
        (
            "    limit: 20\n",
            "    limit: 20\n    ceiling: 3\n",
            "ceiling",
            "terms[5].ceiling",
            "unknown key 'ceiling'",
        ),
        (
            "{alpha: 50%, beta: 60}",
            "{alpha: half, beta: 60}",
            "alpha: half",
            "terms[1].stages[0].alpha",
            "a share like '50%', or 'rest'",
        ),
        (
            "{alpha: 50%, beta: 60}",
            "{alpha: 50%}",
            "{alpha: 50%}",
            "terms[1].stages[0]",
            "does not say how many of 'beta'",
        ),
        (
            "  - id: T3\n",
            "  - id:  T2\n",
            "id:  T2",
            "terms[2].id",
            "duplicate term id 'T2'",
        ),
        (
            "lifted_by: [broker]",
            "lifted_by: [broker]\n    needed: 2",
            "needed",
            "terms[3].needed",
            "needs 2 resumes but names only 1",
        ),
        (
            "incident_kinds: [shooting]",
            "incident_kinds: [shootng]",
            "shootng",
            "terms[3].incident_kinds[0]",
            "unknown incident kind 'shootng'; declared incident_kinds are: blocked-convoy, "
            "detention, shelling, shooting",
        ),
        (
            "monitors: [neutral]\n",
            "monitors: [neutral]\nincident_kinds: [shelling, shelling]\n",
            "incident_kinds: [shelling, shelling]",
            "incident_kinds[1]",
            "incident kind 'shelling' is listed twice",
        ),
        (
            "min_severity: 3",
            "min_severity: 9",
            "min_severity",
            "terms[3].min_severity",
            "expected a number <= 5, found 9",
        ),
        (
            "scenario: tiny",
            "scenario: atlantis",
            "atlantis",
            "scenario",
            "no scenario file 'atlantis'",
        ),
    ],
)
def test_an_invalid_agreement_is_rejected_with_line_and_path(
    tmp_path: Path, old: str, new: str, marker: str, path: str, message: str
) -> None:
    """Each defect exits 2 and names file:line, the field path and what was wrong."""
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    code, data = check(write(tmp_path, text))
    assert code == 2
    problems = data["problems"]
    assert isinstance(problems, list)
    line = line_of(text, marker)
    assert any(
        p["line"] == line and p["path"] == path and message in p["message"] for p in problems
    ), problems


def test_two_links_that_wait_on_each_other_are_a_stage_cycle(tmp_path: Path) -> None:
    """Beta paced on alpha with no allowance while alpha waits for beta: nobody can move."""
    text = GOOD.replace("allowance: 60", "allowance: 0")
    code, data = check(write(tmp_path, text))
    assert code == 2
    (problem,) = data["problems"]  # type: ignore[misc]
    assert problem["path"] == "terms[1].linked"
    assert problem["message"].startswith("stage cycle: T2 (alpha <- beta) -> T3 (beta <- alpha)")
    assert problem["line"] == line_of(text, "linked: beta")


def test_the_human_form_prints_file_line_column_and_exits_2(tmp_path: Path) -> None:
    """Without --json each problem is one `file:line:column: error: path: message` line."""
    file = write(tmp_path, GOOD.replace("ratio: 1\n", "ratio: 0\n"))
    result = runner.invoke(app, ["agreement", "check", str(file)])
    assert result.exit_code == 2
    line = line_of(GOOD, "ratio: 1")
    assert f"{file}:{line}:12: error: terms[2].ratio: expected a number > 0" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "{alpha: rest, beta: rest}",
            "{alpha: rest, beta: 500}",
            "terms[1].stages",
            "more than the 120",
        ),
        (
            "{alpha: rest, beta: rest}",
            "{alpha: rest, beta: 500}",
            "terms[1]",
            "can never be satisfied",
        ),
        ("lifted_by: [broker]", "lifted_by: [side-a]", "terms[3].lifted_by", "can never be lifted"),
        (
            "  - id: T2\n",
            "  - id: T1b\n    kind: window\n    text: Nights too.\n    movements: [alpha]\n"
            '    from: 2020-01-02\n    until: 2020-01-03\n    hours: "20:00-04:00"\n  - id: T2\n',
            "terms[1].hours",
            "T1 and T1b both govern alpha on 2020-01-02..2020-01-02 with different hours",
        ),
        ("until: 2020-01-02", "until: 2020-01-01\n    timezone: UTC", "", ""),
        (
            "from: 2020-01-01\n    until: 2020-01-02",
            "from: 2019-12-01\n    until: 2019-12-02",
            "terms[0].until",
            "before the operation starts",
        ),
    ],
)
def test_warnings_flag_defects_that_do_not_stop_the_deal(
    tmp_path: Path, old: str, new: str, path: str, message: str
) -> None:
    """Unreachable stages, unliftable halts, oversize stages and clashing windows warn, exit 0."""
    code, data = check(write(tmp_path, GOOD.replace(old, new, 1)))
    assert code == 0, data
    warnings = data["problems"]
    assert isinstance(warnings, list)
    if not path:
        assert warnings == []
        return
    assert any(w["path"] == path and message in w["message"] for w in warnings), warnings
    assert all(w["severity"] == "warning" for w in warnings)


def test_an_inline_agreement_reports_positions_in_the_scenario_file(tmp_path: Path) -> None:
    """Inline under `agreement:`, paths start `agreement.` and lines are the scenario file's."""
    scenario = (ROOT / "src/corridor/scenarios/tiny.yaml").read_text()
    body = GOOD.replace("scenario: tiny\n", "").replace("format: 1\n", "")
    inline = "agreement:\n" + "".join(f"  {line}\n" for line in body.splitlines())
    file = tmp_path / "tiny.yaml"
    inline = inline.replace("ratio: 1\n", "ratio: 0\n")
    file.write_text(scenario + inline)
    code, data = check(file)
    assert code == 2
    (problem,) = data["problems"]  # type: ignore[misc]
    assert problem["path"] == "agreement.terms[2].ratio"
    assert problem["line"] == scenario.count("\n") + line_of(inline, "ratio: 0")


def test_a_scenario_without_an_agreement_is_refused(tmp_path: Path) -> None:
    """`agreement check tiny` names what is missing and exits 2."""
    result = runner.invoke(app, ["agreement", "check", "tiny"])
    assert result.exit_code == 2
    assert "has no agreement" in result.output


def test_explain_prints_one_line_per_term_of_the_bundled_deal() -> None:
    """The bundled East Aleppo deal explains each term, with its stage figures."""
    result = runner.invoke(app, ["agreement", "explain", "east-aleppo-2016", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [t["id"] for t in data["terms"]] == [f"T{n}" for n in range(1, 11)]
    staged = data["terms"][2]["explanation"]
    assert "17,500 (the rest) of east-aleppo go once 1,250 of foua-kefraya" in staged
    exchange = data["terms"][8]["explanation"]
    assert "1,500 (the rest) of madaya-zabadani go once 1,500 (the rest) of foua-kefraya" in (
        exchange
    )
    assert "Opposition-source version" in data["version_note"]


def test_the_bundled_deal_checks_clean() -> None:
    """`agreement check east-aleppo-2016` finds neither errors nor warnings."""
    code, data = check(Path("east-aleppo-2016"))
    assert code == 0
    assert data["problems"] == []
    assert data["agreement"] == "aleppo-18-dec-2016"


def test_the_documented_schema_is_the_generated_one() -> None:
    """docs/agreement.schema.json equals what the models generate."""
    documented = json.loads((ROOT / "docs/agreement.schema.json").read_text())
    assert documented == agreement_json_schema()


def test_a_missing_file_is_not_found() -> None:
    """A path that is neither a file nor a bundled name is NotFound, naming what exists."""
    with pytest.raises(NotFound, match="bundled: east-aleppo-2016"):
        load_agreement_ref("/nonexistent/deal.agreement.yaml")


def test_the_worked_example_in_the_docs_checks_clean_and_explains_as_shown(
    tmp_path: Path,
) -> None:
    """docs/agreement-format.md's example loads without warnings and its explain lines are true."""
    doc = (ROOT / "docs/agreement-format.md").read_text()
    example = doc.split("## Worked example", 1)[1]
    yaml_block, shown = example.split("```yaml\n", 1)[1].split("```", 1)
    path = tmp_path / "tiny-deal.agreement.yaml"
    path.write_text(yaml_block)
    code, data = check(path)
    assert code == 0
    assert data["problems"] == []
    printed = runner.invoke(app, ["agreement", "explain", str(path)]).stdout.splitlines()[2:]
    documented = shown.split("```\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert printed == documented


@pytest.mark.parametrize(
    ("groups", "change", "path", "message"),
    [
        ("[{id: alpha, movements: [alpha, beta]}]", None, "movement_groups[0].id", "is a movement"),
        (
            "[{id: both, movements: [alpha, gamma]}]",
            None,
            "movement_groups[0].movements[1]",
            "gamma",
        ),
        (
            "[{id: both, movements: [alpha, alpha]}]",
            None,
            "movement_groups[0].movements[1]",
            "twice",
        ),
        (
            "[{id: both, movements: [alpha, beta]}]",
            ("linked: beta\n", "linked: both\n"),
            "terms[1].linked",
            "no movement in common",
        ),
        ("[]", ("movement: alpha\n", "movement: pair\n"), "terms[1].movement", "unknown movement"),
    ],
    ids=[
        "group-named-as-a-movement",
        "unknown-member",
        "member-twice",
        "link-inside-a-group",
        "no-such-group",
    ],
)
def test_movement_groups_are_checked_at_the_door(
    tmp_path: Path, groups: str, change: tuple[str, str] | None, path: str, message: str
) -> None:
    """A group's id, its members and the links naming it are checked; exit 2 names the field."""
    text = GOOD.replace("terms:\n", f"movement_groups: {groups}\nterms:\n", 1)
    if change is not None:
        text = text.replace(*change, 1)
    code, data = check(write(tmp_path, text))
    assert code == 2, data
    problems = data["problems"]
    assert isinstance(problems, list)
    assert any(p["path"] == path and message in p["message"] for p in problems), problems


def test_a_group_of_one_movement_is_refused(tmp_path: Path) -> None:
    """A movement group needs at least two movements."""
    text = GOOD.replace("terms:\n", "movement_groups: [{id: one, movements: [alpha]}]\nterms:\n")
    code, data = check(write(tmp_path, text))
    assert code == 2
    assert any("movement_groups[0].movements" in p["path"] for p in data["problems"])  # type: ignore[union-attr]
