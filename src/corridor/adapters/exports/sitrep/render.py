"""The situation report rendered: HTML from one Jinja2 template, PDF by WeasyPrint.

Numbers and dates go through Babel for the edition's language; the Arabic
edition is laid out right to left (`dir="rtl"` on the root, logical CSS
properties), in the Amiri font Debian ships (`fonts-hosny-amiri`, SIL Open
Font License). The HTML is self-contained: charts and map are inline SVG,
nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from corridor.adapters.exports.atomic import atomic_file, write_bytes
from corridor.adapters.exports.sitrep.charts import arrivals_chart
from corridor.adapters.exports.sitrep.map import map_svg
from corridor.adapters.exports.sitrep.words import LANGUAGES, WORDS
from corridor.errors import InvalidInput
from corridor.services.exports.sitrep import Sitrep

TEMPLATES = Path(__file__).with_name("templates")
_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidInput(f"lang: {lang!r} is not an edition; choose {', '.join(LANGUAGES)}")
    return lang


@dataclass(frozen=True)
class Edition:
    """Formatting for one language: numbers, days and instants in the operation's zone."""

    lang: str
    zone: ZoneInfo

    def n(self, value: int) -> str:
        return format_decimal(value, locale=self.lang)

    def day(self, value: date) -> str:
        return format_date(value, "d MMMM y", locale=self.lang)

    def instant(self, text: str) -> str:
        if not text:
            return ""
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return format_datetime(moment, "d MMMM y, HH:mm", tzinfo=self.zone, locale=self.lang)


def context(report: Sitrep, lang: str) -> dict[str, Any]:
    """The template's values: every sentence and number already in the edition's language."""
    w = WORDS[check_language(lang)]
    e = Edition(lang, ZoneInfo(report.timezone))
    p = report.provenance
    day = e.day(report.day)
    as_of_time = e.instant(p.as_of)
    total = next(f.value for f in report.key_figures if f.key == "arrived_total")
    today = next(f.value for f in report.key_figures if f.key == "arrived_today")
    names = {m.movement: m.name for m in report.movements}
    deal = []
    for m in report.movements:
        if not m.halts:
            deal.append(w["hl_moving"].format(movement=m.name))
        for h in m.halts:
            deal.append(
                w["hl_halted"].format(
                    movement=m.name,
                    term=h.term,
                    incident=h.incident,
                    kind=h.kind,
                    severity=e.n(h.severity),
                    needed=e.n(h.needed),
                    lifted_by=", ".join(h.lifted_by),
                    resumed=", ".join(h.resumed) or w["nobody"],
                )
            )
    highlights = [w["hl_arrived"].format(n=e.n(today), day=day, total=e.n(total))]
    highlights += deal
    if report.open_alerts:
        highlights.append(
            w["hl_alerts"].format(n=e.n(report.open_alerts), missing=e.n(report.missing_open))
        )
    else:
        highlights.append(w["hl_no_alerts"])
    differing = [c for c in report.claims if c.difference]
    if differing:
        highlights.append(w["hl_claims"].format(n=e.n(len(differing))))
    yes, no = w["yes"], w["no"]
    return {
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "w": w,
        "name": report.name,
        "day": day,
        "report_day": w["report_day"].format(day=day),
        "as_of": w["as_of"].format(day=day, zone=report.timezone),
        "as_of_time": as_of_time,
        "source": report.source,
        "source_line": w["source_line"].format(
            operation=p.operation,
            sequence=p.sequence,
            hash=p.hash,
            generated=e.instant(p.generated_at),
        ),
        "highlights": highlights,
        "key_figures": [
            {
                "label": w[f.key].format(day=day),
                "value": e.n(f.value),
                "source": f.source,
                "at": e.instant(f.at),
            }
            for f in report.key_figures
        ],
        "chart_svg": arrivals_chart(report.days, report.arrived_by_day),
        "map_svg": map_svg(report.map),
        "movements": [
            {
                "name": m.name,
                "boarded": e.n(m.today.people_boarded),
                "arrived": e.n(m.today.people_arrived),
                "arrived_total": e.n(m.arrived),
                "waiting": e.n(m.waiting),
                "in_transit": e.n(m.in_transit),
                "halts": e.n(m.today.halts),
                "registered": e.n(m.registered),
                "exits": e.n(m.exits),
                "balanced": yes if m.balanced else no,
            }
            for m in report.movements
        ],
        "deal": deal,
        "neutral": report.neutral,
        "incidents": [
            {
                "id": i.id,
                "kind": i.kind,
                "severity": e.n(i.severity),
                "status": w.get(i.status, i.status),
                "at": e.instant(i.at),
                "site": i.site_name,
                "note": i.note,
            }
            for i in report.incidents
        ],
        "custody_line": w["custody_line"].format(
            open=e.n(report.open_alerts),
            missing=e.n(report.missing_open),
            balanced=e.n(sum(1 for m in report.movements if m.balanced)),
            movements=e.n(len(report.movements)),
        ),
        "claims": [
            {
                "by": c.by,
                "movement": names.get(c.movement, c.movement),
                "figure": c.figure,
                "value": e.n(c.value),
                "ledger": e.n(c.ledger),
                "difference": e.n(c.difference),
                "source": c.source,
                "stated_at": e.instant(c.stated_at),
            }
            for c in report.claims
        ],
        "shelters": [
            {"name": s.name, "places": e.n(s.places), "arrived": e.n(s.arrived)}
            for s in report.shelters
        ],
        "reception": _reception(report, w, e, as_of_time),
        "gaps": [
            w[f"gap_{g.key}"].format(subject=names.get(g.subject, g.subject), value=e.n(g.value))
            for g in report.gaps
        ],
        "terms": list(report.terms),
        "edition": w["neutral" if report.neutral else "aggregates"].format(role=report.role),
    }


def _reception(report: Sitrep, w: dict[str, str], e: Edition, at: str) -> dict[str, Any] | None:
    """Sites on the report's day with who is on the way, and the day's needs over all sites."""
    found = report.reception
    if found is None or not found.sites:
        return None
    day, last = found.sites[0].day, found.sites[-1].day
    sites = []
    for row in (r for r in found.sites if r.day == day):
        coming = sum(r.expected for r in found.sites if r.site == row.site and r.day != day)
        final = next(r for r in found.sites if r.site == row.site and r.day == last)
        pct = final.occupancy_pct
        sites.append(
            {
                "name": row.name if row.site else w["all_sites"],
                "pcode": row.pcode,
                "places": e.n(row.places),
                "checked_in": e.n(row.checked_in),
                "coming": e.n(row.expected + coming),
                "present": e.n(final.present),
                "pct": "" if pct is None else f"{format_decimal(pct, locale=e.lang)} %",
            }
        )
    needs = []
    for supply in dict.fromkeys(r.supply for r in found.supplies):
        mine = [r for r in found.supplies if r.supply == supply and r.day == day]
        declared = [r.available for r in mine if r.available is not None]
        starts = sorted(r.short_from for r in found.supplies if r.supply == supply and r.short_from)
        needs.append(
            {
                "supply": w.get(supply, supply),
                "need": format_decimal(round(sum(r.need for r in mine)), locale=e.lang),
                "available": format_decimal(round(sum(declared)), locale=e.lang)
                if declared
                else w["not_declared"],
                "short": format_decimal(round(sum(r.short for r in mine)), locale=e.lang),
                "short_from": e.day(date.fromisoformat(starts[0])) if starts else "",
            }
        )
    return {
        "source": w["reception_source"].format(at=at),
        "present_by": w["present_by"].format(day=e.day(date.fromisoformat(last))),
        "needs_title": w["needs_today"].format(day=e.day(date.fromisoformat(day))),
        "sites": sites,
        "needs": needs,
    }


def sitrep_html(report: Sitrep, lang: str = "en") -> str:
    return _environment.get_template("sitrep.html").render(context(report, lang))


def sitrep_pdf(html: str) -> bytes:
    """The HTML laid out as A4 pages by WeasyPrint."""
    from weasyprint import HTML  # imported here: it loads Pango, which costs a second

    pdf: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    return pdf


def write_sitrep(report: Sitrep, lang: str, folder: Path, pdf: bool = True) -> list[Path]:
    """`sitrep-OPERATION-DAY-LANG.html` (and `.pdf`) in `folder`, each whole or not at all."""
    if not folder.is_dir():
        raise InvalidInput(f"out: {folder} is not a folder")
    stem = f"sitrep-{report.provenance.operation}-{report.day.isoformat()}-{lang}"
    html = sitrep_html(report, lang)
    written = [folder / f"{stem}.html"]
    with atomic_file(written[0]) as out:
        out.write(html)
    if pdf:
        written.append(folder / f"{stem}.pdf")
        write_bytes(written[1], sitrep_pdf(html))
    return written
