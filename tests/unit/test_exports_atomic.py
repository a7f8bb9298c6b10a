"""Exports are written whole or not at all: a failure leaves no partial file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.adapters.exports.atomic import atomic_file, write_bytes
from corridor.errors import InvalidInput


class Interrupted(Exception):
    pass


def interrupted_write(target: Path, text: str) -> None:
    """Start writing `target`, then fail as a full disk or a crash would."""
    with atomic_file(target) as out:
        out.write(text)
        raise Interrupted


def test_a_completed_write_replaces_the_file(tmp_path: Path) -> None:
    """The new content is there and no temporary file is left."""
    target = tmp_path / "figures.csv"
    target.write_text("old\n", encoding="utf-8")
    with atomic_file(target) as out:
        out.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["figures.csv"]


def test_a_write_interrupted_half_way_leaves_the_old_file_and_no_part(tmp_path: Path) -> None:
    """Half the rows written, then an error: the earlier file stays, the temp file goes."""
    target = tmp_path / "figures.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(Interrupted):
        interrupted_write(target, "half of the rows\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["figures.csv"]


def test_an_interrupted_first_write_leaves_nothing(tmp_path: Path) -> None:
    """With no earlier file, an interrupted export leaves the folder empty."""
    with pytest.raises(Interrupted):
        interrupted_write(tmp_path / "map.geojson", "{")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    """Writing into a folder that does not exist is refused, naming it."""
    with pytest.raises(InvalidInput, match="does not exist"):
        write_bytes(tmp_path / "nowhere" / "report.pdf", b"%PDF")
