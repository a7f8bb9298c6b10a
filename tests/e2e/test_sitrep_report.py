"""`corridor report sitrep` for 20 Dec 2016: HTML sections, roles, and the PDF's pages as images."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app
from tests.support.export_world import OPERATION, PERSON, SEEDED_NAMES, seed

runner = CliRunner()
DAY = "2016-12-20"
SECTIONS = (
    "highlights",
    "figures",
    "movements",
    "incidents",
    "custody",
    "reception",
    "map",
    "gaps",
)


def run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed(tmp_path_factory.mktemp("sitrep") / "ledger.db")


@pytest.fixture(scope="module")
def pdftoppm() -> str:
    """poppler-utils' pdftoppm; skips locally without it, fails in CI."""
    found = shutil.which("pdftoppm")
    if found is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("pdftoppm is required under CI but missing (scripts/system-deps)")
        pytest.skip("pdftoppm is not installed (run scripts/system-deps as root)")
    return found


def report(db: str, out: Path, *extra: str) -> dict[str, Path]:
    run(
        "report",
        "sitrep",
        "--db",
        db,
        "--operation",
        OPERATION,
        "--day",
        DAY,
        "--out",
        str(out),
        *extra,
    )
    return {path.suffix: path for path in out.iterdir()}


def pages(pdf: Path, pdftoppm: str, folder: Path) -> list[Image.Image]:
    subprocess.run([pdftoppm, "-r", "40", "-png", str(pdf), str(folder / "page")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob("page-*.png"))]


def ink_centre(image: Image.Image, top: float, bottom: float) -> float:
    """Horizontal centre (0..1) of the dark pixels in a band of the page."""
    width, height = image.size
    band = np.asarray(image.crop((0, int(height * top), width, int(height * bottom))).convert("L"))
    xs = np.nonzero(band < 128)[1]
    assert xs.size, "the band is blank"
    return float(xs.mean()) / width


def coloured(image: Image.Image) -> int:
    """Pixels that are clearly not grey: chart bars, map lines."""
    pixels = np.asarray(image, dtype=np.int16)
    return int(((pixels.max(axis=2) - pixels.min(axis=2)) > 60).sum())


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_sitrep_renders_as_a4_pages_with_charts_and_map(
    db: str, tmp_path: Path, pdftoppm: str, lang: str
) -> None:
    """The PDF has several A4 pages, none blank, with colour from the chart and the map."""
    out = tmp_path / "out"
    out.mkdir()
    files = report(db, out, "--lang", lang)
    images = pages(files[".pdf"], pdftoppm, tmp_path)
    assert len(images) >= 2
    for image in images:
        width, height = image.size
        assert height / width == pytest.approx(297 / 210, rel=0.02)
        assert image.convert("L").getextrema()[0] < 100, "a page is blank"
    assert sum(coloured(image) for image in images) > 500


def test_the_arabic_edition_is_laid_out_right_to_left(
    db: str, tmp_path: Path, pdftoppm: str
) -> None:
    """The title sits at the right in Arabic and at the left in English."""
    centres = {}
    for lang in ("en", "ar"):
        folder = tmp_path / lang
        folder.mkdir()
        files = report(db, folder, "--lang", lang)
        centres[lang] = ink_centre(pages(files[".pdf"], pdftoppm, folder)[0], 0.04, 0.09)
    assert centres["en"] < 0.4
    assert centres["ar"] > 0.6


def test_the_html_has_every_section_and_sources_each_figure(db: str, tmp_path: Path) -> None:
    """OCHA's sections in order; each key figure names its source and time; nothing fetched."""
    html = report(db, tmp_path, "--no-pdf")[".html"].read_text(encoding="utf-8")
    positions = [html.index(f'<section id="{s}">') for s in SECTIONS]
    assert positions == sorted(positions)
    figures = re.findall(r'<div class="figure">(.*?)</div></div>', html, re.S)
    assert len(figures) == 8
    for figure in figures:
        assert "Source: ledger east-aleppo-2016 #" in figure
        assert "As of 20 December 2016, 23:59" in figure
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_the_deal_is_stated_in_plain_words(db: str, tmp_path: Path) -> None:
    """The verified shooting halts the movements under T6 until Russia and Turkey resume."""
    html = report(db, tmp_path, "--no-pdf")[".html"].read_text(encoding="utf-8")
    assert (
        "East Aleppo evacuation is halted under term T6 after incident incident-1 "
        "(shooting, severity 3): 2 of russia, turkey must record a resume; none so far."
    ) in html


def test_the_arabic_html_is_rtl_with_arabic_dates(db: str, tmp_path: Path) -> None:
    """The root says dir=rtl lang=ar; dates are written with Arabic month names."""
    html = report(db, tmp_path, "--no-pdf", "--lang", "ar")[".html"].read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "20 ديسمبر 2016" in html


def test_an_observer_sitrep_names_nobody(db: str, tmp_path: Path) -> None:
    """The default (observer) edition has no seeded name, note or person id; a coordinator's has."""
    observer = report(db, tmp_path, "--no-pdf")[".html"].read_text(encoding="utf-8")
    for secret in (*SEEDED_NAMES, PERSON, "saw shots"):
        assert secret not in observer
    (tmp_path / "c").mkdir()
    neutral = report(db, tmp_path / "c", "--no-pdf", "--role", "coordinator")
    assert "Abu Hassan saw shots" in neutral[".html"].read_text(encoding="utf-8")


def section(html: str, name: str) -> str:
    start = html.index(f'<section id="{name}">')
    return html[start : html.index("</section>", start)]


def test_the_reception_section_shows_sites_on_the_road_and_needs(db: str, tmp_path: Path) -> None:
    """A coordinator sees al-Atarib by sub-district P-code with its 47 check-ins and the
    40 on the road; the day's water need is 15 L for each of the 95 people checked in."""
    html = report(db, tmp_path, "--no-pdf", "--role", "coordinator")[".html"]
    reception = section(html.read_text(encoding="utf-8"), "reception")
    row = re.search(r"<tr><td>al-Atarib reception centre</td>(.*?)</tr>", reception, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[:4] == ["SY020001", "10,100", "47", "40"]
    water = re.search(r"<tr><td>Water \(litres\)</td><td class=\"n\">([\d,]+)</td>", reception)
    assert water is not None
    assert water.group(1) == f"{15 * (47 + 3 + 45):,}"


def test_an_observer_sees_reception_totals_only(db: str, tmp_path: Path) -> None:
    """The observer edition has one row for all reception sites and no site name in it."""
    html = report(db, tmp_path, "--no-pdf")[".html"].read_text(encoding="utf-8")
    reception = section(html, "reception")
    assert "All reception sites" in reception
    assert "al-Atarib" not in reception
    assert "SY020001" not in reception


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--day", "2016-12-25"), "day: 2016-12-25 is outside the operation"),
        (("--day", DAY, "--lang", "fr"), "lang: 'fr' is not an edition"),
        (("--day", DAY, "--operation", "aleppo"), "operation 'aleppo' has not been opened"),
    ],
)
def test_a_bad_sitrep_request_writes_nothing(
    db: str, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """One error line, exit 2, and the folder stays empty."""
    base = ["report", "sitrep", "--db", db, "--operation", OPERATION, "--out", str(tmp_path)]
    result = runner.invoke(app, [*base, *args])
    assert result.exit_code == 2, result.output
    assert f"error: {message}" in result.output
    assert list(tmp_path.iterdir()) == []
