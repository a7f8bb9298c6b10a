"""The printable manifest page (HTML with print CSS): one A4 sheet per vehicle.

A convoy prints as one page per vehicle in the same document.

The page is rendered from the same `ManifestSheet` as its JSON twin, so a
count-only sheet cannot grow a name column by accident: names are in the
view model only for the neutral roles. Nothing is fetched: the style is
inline, the page prints from any browser without a network.
"""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment

from corridor.services.manifests import ManifestSheet

_TEMPLATE = """<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "DejaVu Sans", "Noto Sans Arabic", sans-serif; font-size: 11pt; }
  h1 { font-size: 16pt; margin-block: 0 4mm; }
  table { border-collapse: collapse; inline-size: 100%; margin-block-end: 6mm; }
  th, td { border: 1px solid #444; padding: 1.5mm 2mm; text-align: start; }
  th { background: #eee; }
  .ar { direction: rtl; unicode-bidi: isolate; }
  .note { font-size: 9pt; color: #333; }
  .sign { margin-block-start: 12mm; display: flex; gap: 20mm; }
  .sign div { border-block-start: 1px solid #000; inline-size: 60mm; padding-block-start: 1mm; }
  @media print { .no-print { display: none; } }
</style>
</head>
<body>
{% for sheet in sheets %}
<section style="break-after: page">
<h1>{{ titles[loop.index0] }}</h1>
<table>
  <tr><th>Operation</th><td>{{ sheet.operation }}</td><th>Trip</th><td>{{ sheet.trip }}</td></tr>
  <tr><th>Vehicle</th><td>{{ sheet.vehicle }}</td>
      <th>Movement</th><td>{{ sheet.movement }}</td></tr>
  <tr><th>Boarded at</th><td>{{ sheet.site }}</td>
      <th>Recorded</th><td>{{ calendar_time(sheet.boarded_at) }}</td></tr>
</table>
<table>
  <tr><th>Group</th><th>People</th></tr>
  {% for group, n in sheet.counts.items() %}<tr><td>{{ group }}</td><td>{{ n }}</td></tr>
  {% endfor %}<tr><th>Total</th><th>{{ sheet.total }}</th></tr>
</table>
{% if sheet.names %}
<table>
  <tr><th>#</th><th>Name</th><th>Other script</th><th>Sex</th><th>Age / born</th>
      <th>Ref</th><th>Needs</th><th>Person id</th></tr>
  {% for line in sheet.people %}<tr>
    <td>{{ loop.index }}</td><td><bdi>{{ line.full_name }}</bdi></td>
    <td><bdi>{{ line.other_name }}</bdi></td><td>{{ line.sex }}</td>
    <td>{{ line.age if line.age is not none else "" }}
        {%- if line.birth_year %} ({{ line.birth_year }}){% endif %}</td>
    <td>{{ line.ref }}</td><td>{{ line.vulnerabilities | join(", ") }}</td>
    <td>{{ line.person }}</td>
  </tr>{% endfor %}
</table>
<p class="note">Names for the neutral intermediary only. Never hand this sheet to a party,
a checkpoint or a liaison: they receive the count-only sheet.</p>
{% else %}
<p class="note">Count-only sheet: no names are listed, by design.</p>
{% endif %}
<div class="sign"><div>Monitor</div><div>Driver</div></div>
</section>
{% endfor %}
</body>
</html>
"""

_ENVIRONMENT = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_PAGE = _ENVIRONMENT.from_string(_TEMPLATE)


def calendar_time(instant: str) -> str:
    """`2016-12-15T08:00:00.000000Z` as `15 December 2016, 08:00 UTC`."""
    moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def _title(sheet: ManifestSheet) -> str:
    kind = "Manifest" if sheet.names else "Count sheet"
    return f"{kind}: {sheet.vehicle} ({sheet.trip})"


def render_manifest(sheet: ManifestSheet) -> str:
    """One vehicle's sheet as a printable page."""
    return render_sheets([sheet], _title(sheet))


def render_sheets(sheets: list[ManifestSheet], title: str) -> str:
    """Several vehicles' sheets (a convoy), one printed page each."""
    return _PAGE.render(
        sheets=sheets,
        titles=[_title(s) for s in sheets],
        title=title,
        calendar_time=calendar_time,
    )
