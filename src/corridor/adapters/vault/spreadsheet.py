"""Registration spreadsheets (CSV in UTF-8, or XLSX) read into numbered rows of text.

Row numbers are the ones the spreadsheet shows (header = row 1), so a desk
can go straight to the row an error names. A CSV that is not UTF-8 is
refused row by row (each line that does not decode is named), with a hint
when it reads as Windows Arabic (cp1256), the usual culprit: guessing an
encoding would turn names into other names without a word.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import InvalidInput

MAX_ROWS = 200_000


@dataclass(frozen=True)
class Sheet:
    """A file's header and its rows by spreadsheet row number; `digest` names the content."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    digest: str


def read_sheet(path: Path) -> Sheet:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read: {error.strerror or error}") from None
    suffix = path.suffix.casefold()
    if suffix == ".xlsx":
        header, rows = _xlsx(path, data)
    elif suffix in (".csv", ".txt"):
        header, rows = _csv(path, data)
    else:
        raise InvalidInput(f"{path}: expected a .csv or .xlsx file, not {suffix or 'no suffix'}")
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"{path}: {len(rows)} rows; at most {MAX_ROWS} in one import")
    return Sheet(tuple(header), tuple(rows), hashlib.sha256(data).hexdigest())


def _csv(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_encoding_report(path, data)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().casefold() for name in next(reader)]
    except StopIteration:
        raise InvalidInput(f"{path}: the file is empty; expected a header row") from None
    except csv.Error as error:
        raise InvalidInput(f"{path}: row 1: {error}") from None
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[str] = []
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(f"row {number}: {len(cells)} cells for {len(header)} columns")
                continue
            rows.append((number, dict(zip(header, cells, strict=False))))
    except csv.Error as error:
        problems.append(f"row {reader.line_num}: {error}")
    if problems:
        raise InvalidInput("\n".join(f"{path}: {p}" for p in problems))
    return header, rows


def _encoding_report(path: Path, data: bytes) -> str:
    lines = [f"{path}: the file is not UTF-8 text; nothing was imported"]
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            lines.append(
                f"row {number}: byte 0x{line[error.start]:02x} at column {error.start + 1} "
                "is not UTF-8"
            )
    try:
        guess = data.decode("cp1256")
    except UnicodeDecodeError:
        guess = ""
    if any("\u0621" <= ch <= "\u064a" for ch in guess):
        lines.append(
            "it reads as Windows Arabic (cp1256): save it again as 'CSV UTF-8' and import that"
        )
    else:
        lines.append("save it again as 'CSV UTF-8' and import that")
    return "\n".join(lines)


def _xlsx(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise InvalidInput(f"{path}: not a readable .xlsx workbook ({error})") from None
    try:
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        first = next(rows_iter, None)
        if first is None:
            raise InvalidInput(f"{path}: the first sheet is empty; expected a header row")
        header = [_cell(value).casefold() for value in first]
        while header and not header[-1]:
            header.pop()
        rows: list[tuple[int, dict[str, str]]] = []
        for number, values in enumerate(rows_iter, start=2):
            cells = [_cell(value) for value in values]
            if not any(cells):
                continue
            rows.append((number, dict(zip(header, cells, strict=False))))
    finally:
        book.close()
    return header, rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and callable(value.isoformat):
        return str(value.isoformat())[:10]
    return str(value).strip()
