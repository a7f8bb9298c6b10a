"""The Monte Carlo report: one self-contained HTML page with charts, and the JSON summary.

Charts are drawn with matplotlib's Agg backend into PNGs embedded as base64,
so the page opens offline, from a USB stick, in a field office with no
internet. The page shows cumulative people moved per movement with p10-p90
bands, the spread of person-hours waiting aboard and at pickup sites, the
reciprocity balance, and the sweep when there is one. Times are calendar times
in the operation's zone; the page says which disruption model ran, and says so
plainly when none did.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from corridor.simulation.metrics import MINUTES_PER_HOUR, RunMetrics
from corridor.simulation.summary import summary_json

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Simulation: {{ s.scenario }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
img { max-width: 100%; }
.note { color: #555; }
</style></head><body>
<h1>Simulation of {{ s.scenario }}</h1>
<p class="note">{{ s.runs }} runs, seed {{ s.seed }}, {{ s.people }} people;
deal: {{ s.deal or "open" }}; vehicles: {{ s.policy or "dispatch" }};
start {{ s.start }} ({{ s.timezone }} time); deadline {{ s.deadline_at }},
horizon {{ s.horizon_at }}.</p>
<p class="note" id="disruption">{% if (s.disruption or "none") == "none" -%}
Disruption model: none. This is a quiet operation: no incidents, halts or breakdowns were played.
{%- else -%}
Disruption model: {{ s.disruption }}.
{%- endif %}</p>
<p class="note">
{{ (100 * s.cleared_share) | round(1) }}% of runs moved everyone within the horizon.
Convergence: 95% CI half-width of mean clearance is
{{ (100 * s.convergence.ci_half_width_ratio) | round(2) }}% of the mean
({{ "converged" if s.convergence.converged else "not converged" }}, threshold
{{ (100 * s.convergence.threshold) | round(1) }}%): {{ s.convergence.note }}.</p>
<table>
<tr><th>figure</th><th>p10</th><th>p50</th><th>p90</th><th>mean (95% CI)</th></tr>
{% for label, key in rows %}{% set d = s[key] %}
<tr><td>{{ label }}</td><td>{{ n(d.p10) }}</td><td>{{ n(d.p50) }}</td><td>{{ n(d.p90) }}</td>
<td>{{ n(d.mean) }} ({{ n(d.ci95[0]) }} to {{ n(d.ci95[1]) }})</td></tr>
{% endfor %}
<tr><td>everyone arrived by</td><td>{{ s.clearance_at.p10 }}</td><td>{{ s.clearance_at.p50 }}</td>
<td>{{ s.clearance_at.p90 }}</td><td>{{ s.clearance_at.mean }}</td></tr>
</table>
<h2>Last person arrived, per movement ({{ s.timezone }} time)</h2>
<table><tr><th>movement</th><th>people</th><th>p10</th><th>p50</th><th>p90</th>
<th>runs in which all arrived</th></tr>
{% for movement, m in s.movements.items() %}
<tr><td>{{ movement }}</td><td>{{ "{:,}".format(m.people) }}</td>
<td>{{ m.completion_at.p10 }}</td><td>{{ m.completion_at.p50 }}</td>
<td>{{ m.completion_at.p90 }}</td><td>{{ (100 * m.cleared_share) | round(0) }}%</td></tr>
{% endfor %}</table>
<h2>Waiting by group (person-hours, p50 and p90 over runs)</h2>
<table><tr><th>group</th><th>aboard p50</th><th>aboard p90</th>
<th>at pickup p50</th><th>at pickup p90</th></tr>
{% for group in groups %}{% set a = s.waiting_vehicle_person_hours_by_group.get(group, {}) %}
{% set p = s.waiting_assembly_person_hours_by_group.get(group, {}) %}
<tr><td>{{ group }}</td><td>{{ n(a.p50 or 0) }}</td><td>{{ n(a.p90 or 0) }}</td>
<td>{{ n(p.p50 or 0) }}</td><td>{{ n(p.p90 or 0) }}</td></tr>
{% endfor %}</table>
{% for title, png in charts %}
<h2>{{ title }}</h2>
<img alt="{{ title }}" src="data:image/png;base64,{{ png }}">
{% endfor %}
{% if s.sweep %}
<h2>Sweep</h2>
<table><tr><th>cell</th><th>everyone arrived by, p50</th><th>p90</th>
<th>waiting aboard p50 (person-h)</th><th>waiting aboard p90 (person-h)</th></tr>
{% for cell in s.sweep %}
<tr><td>{{ cell.label }}</td><td>{{ cell.clearance_at.p50 }}</td>
<td>{{ cell.clearance_at.p90 }}</td><td>{{ cell.waiting_vehicle_person_hours.p50 }}</td>
<td>{{ cell.waiting_vehicle_person_hours.p90 }}</td></tr>
{% endfor %}</table>
{% endif %}
</body></html>
"""

_ROWS = (
    ("clearance (hours after the start)", "clearance_hours"),
    ("people moved by the deadline", "moved_by_deadline"),
    ("person-hours waiting aboard stopped vehicles", "waiting_vehicle_person_hours"),
    ("person-hours waiting at pickup sites", "waiting_assembly_person_hours"),
    ("longest single wait aboard (hours)", "longest_wait_hours"),
    ("trips", "trips"),
    ("trips turned back", "trips_turned_back"),
    ("incidents", "incidents"),
    ("halts", "halts"),
)


def _figure(width: float, height: float) -> tuple[Any, Any]:
    """A figure on its own Agg canvas: no pyplot, no global state, no display needed."""
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _times(summary: dict[str, Any]) -> list[datetime]:
    """The series' sampling times as naive local datetimes (matplotlib draws them as given)."""
    return [_local(text) for text in summary["series"]["times"]]


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)


def _calendar_axis(axes: Any, summary: dict[str, Any]) -> None:
    """Dates and hours on the x axis, in the operation's zone, named in the label."""
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    offset = summary["start"][-6:]
    axes.set_xlabel(f"local time, {summary['timezone']} (UTC{offset} at the start)")


def _moved_chart(summary: dict[str, Any]) -> str:
    series = summary["series"]
    times = _times(summary)
    figure, axes = _figure(8, 4)
    for movement, band in sorted(series["moved"].items()):
        axes.fill_between(times, band["p10"], band["p90"], alpha=0.25)
        axes.plot(times, band["p50"], label=f"{movement} (p50, band p10-p90)")
    deadline = _local(summary["deadline_at"])
    axes.axvline(deadline, color="grey", linestyle="--", label="deadline")
    _calendar_axis(axes, summary)
    axes.set_ylabel("people arrived")
    axes.legend(loc="lower right")
    return _png(figure)


def _balance_chart(summary: dict[str, Any]) -> str | None:
    balance = summary["series"]["balance"]
    if not balance:
        return None
    times = _times(summary)
    figure, axes = _figure(8, 3)
    for pair, band in sorted(balance.items()):
        axes.fill_between(times, band["p10"], band["p90"], alpha=0.25)
        axes.plot(times, band["p50"], label=pair)
    axes.axhline(0, color="grey", linewidth=0.8)
    _calendar_axis(axes, summary)
    axes.set_ylabel("share moved, difference (points)")
    axes.legend(loc="upper right")
    return _png(figure)


def _waiting_chart(runs: list[RunMetrics]) -> str:
    figure, axes = _figure(8, 3.5)
    aboard = [r.waiting_vehicle_total / MINUTES_PER_HOUR for r in runs]
    pickup = [r.waiting_assembly_total / MINUTES_PER_HOUR for r in runs]
    axes.hist(aboard, bins=30, alpha=0.6, label="aboard stopped vehicles")
    axes.hist(pickup, bins=30, alpha=0.6, label="at pickup sites")
    axes.set_xlabel("person-hours waiting per run")
    axes.set_ylabel("runs")
    axes.legend()
    return _png(figure)


def _sweep_chart(sweep: list[dict[str, Any]]) -> str:
    figure, axes = _figure(8, 3.5)
    labels = [cell["label"] for cell in sweep]
    positions = range(len(labels))
    axes.bar(
        [p - 0.2 for p in positions],
        [c["clearance_hours"]["p50"] for c in sweep],
        0.4,
        label="clearance p50",
    )
    axes.bar(
        [p + 0.2 for p in positions],
        [c["clearance_hours"]["p90"] for c in sweep],
        0.4,
        label="clearance p90",
    )
    axes.set_xticks(list(positions), labels, rotation=20, ha="right")
    axes.set_ylabel("hours")
    axes.legend()
    return _png(figure)


def render_report(summary: dict[str, Any], runs: list[RunMetrics]) -> str:
    """The HTML page for a study's summary and its runs."""
    charts: list[tuple[str, str]] = [
        ("People moved over time", _moved_chart(summary)),
        ("Waiting: spread over runs", _waiting_chart(runs)),
    ]
    balance = _balance_chart(summary)
    if balance is not None:
        charts.append(("Reciprocity balance", balance))
    if summary.get("sweep"):
        charts.append(("Sweep: clearance per cell", _sweep_chart(summary["sweep"])))
    environment = Environment(autoescape=select_autoescape(default=True))
    groups = sorted(
        set(summary["waiting_vehicle_person_hours_by_group"])
        | set(summary["waiting_assembly_person_hours_by_group"])
    )
    return environment.from_string(_PAGE).render(
        s=summary, rows=_ROWS, charts=charts, groups=groups, n=_number
    )


def _number(value: float) -> str:
    """Figures as people read them: thousands separated, one decimal."""
    return f"{value:,.1f}"


def write_report(directory: Path, summary: dict[str, Any], runs: list[RunMetrics]) -> Path:
    """Write index.html and summary.json into `directory`; returns the page's path.

    Each file is written beside its final name and renamed into place, so an
    interrupted run never leaves a half-written report.
    """
    directory.mkdir(parents=True, exist_ok=True)
    page = directory / "index.html"
    for path, text in (
        (directory / "summary.json", summary_json(summary)),
        (page, render_report(summary, runs)),
    ):
        partial = path.with_suffix(path.suffix + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    return page
