"""Open a list file and stream its rows, without loading it whole.

CSV: the encoding is detected on the first megabyte (UTF-8 with or without BOM, tried strictly;
otherwise Thai Windows cp874, the superset of TIS-620); a file that is neither is refused. The
delimiter (comma, tab, semicolon) is sniffed from the first lines. A byte later in the file that
does not decode fails the whole import (nothing is applied before the whole file is read).

Excel (.xlsx): read with openpyxl in read-only mode, cached values of formulas (``data_only``).
A formula cell without a cached value (a file written by a program that never calculated it) is
reported on its row, and that row is rejected. Merged cells are FILLED: the value of the top-left
cell is copied to every cell of the merged range (a ``หมู่`` merged over a group of rows applies to
each of them), and the ranges filled are listed in the import's notes.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SAMPLE_BYTES = 1 << 20
PREVIEW_BATCH = 50  # rows read at a time for ``Table.rows``
_DELIMITERS = ",\t;"
# Control characters that never appear in a text list (NUL betrays UTF-16 or a binary file).
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


@dataclass(slots=True)
class Row:
    number: int  # the row's line in the file as a spreadsheet shows it (header = 1)
    values: list[str]
    problem: str = ""  # a reason to reject the row found while reading (formula without value)


@dataclass(slots=True)
class Batch:
    """Consecutive data rows: their values, their row numbers, and the rows already refused while
    reading (index in the batch → Thai reason)."""

    values: list[list[str]]
    numbers: Sequence[int]
    problems: dict[int, str] = field(default_factory=dict)


@dataclass
class Table:
    """An opened list: its headers and a one-pass iterator over its data rows."""

    path: Path
    file_format: str  # csv | xlsx
    headers: list[str]
    rows: Iterator[Row]
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    estimated_rows: int = 0  # for the progress bar (Excel: from the sheet's dimension)
    _closers: list[Any] = field(default_factory=list)
    _reader: Any = None  # CSV: the csv.reader, read a batch at a time by batches()

    def batches(self, size: int) -> Iterator[Batch]:
        """The data rows, ``size`` at a time (use either this or ``rows``, once)."""
        if self._reader is not None:
            yield from _csv_batches(self._reader, size)
            return
        rows = iter(self.rows)
        while chunk := list(islice(rows, size)):
            yield Batch([row.values for row in chunk], [row.number for row in chunk],
                        {index: row.problem for index, row in enumerate(chunk) if row.problem})

    def close(self) -> None:
        for closer in self._closers:
            closer.close()
        self._closers.clear()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(path: str | Path, *, sheet: str = "") -> Table:
    """Open ``path`` (.csv/.txt/.tsv or .xlsx) and read its header row."""
    path = Path(path)
    if not path.exists():
        raise file_error(_("The file %(name)s does not exist.") % {"name": path.name})
    if path.stat().st_size == 0:
        raise file_error(_("The file is empty."))
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, sheet=sheet)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_error(_("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or CSV."))
    return _open_csv(path)


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` or ``cp874``; raises when the sample is neither Thai nor ASCII text."""
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")(errors="strict").decode(sample, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp874")
            encoding = "cp874"
        except UnicodeDecodeError:
            raise file_error(_("Wrong encoding: the file is neither UTF-8 nor Thai (TIS-620/Windows-874). "
                               "Save it as “CSV UTF-8” and try again.")) from None
    if _BAD_CONTROL.search(text):
        raise file_error(_("Wrong encoding: the file is neither UTF-8 nor Thai (TIS-620/Windows-874). "
                           "Save it as “CSV UTF-8” and try again."))
    return encoding


def sniff_delimiter(first_lines: str) -> str:
    try:
        return csv.Sniffer().sniff(first_lines, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = first_lines.splitlines()[0] if first_lines else ""
        counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _open_csv(path: Path) -> Table:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    text_sample = sample.decode(encoding, errors="ignore")
    first_lines = "\n".join(text_sample.splitlines()[:20])
    if not first_lines.strip():
        raise file_error(_("The file is empty."))
    delimiter = sniff_delimiter(first_lines)
    text_handle = path.open(encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text_handle, delimiter=delimiter)
    try:
        headers = _first_non_empty(reader)
    except UnicodeDecodeError:
        text_handle.close()
        raise file_error(_("Wrong encoding in the first lines of the file.")) from None
    if headers is None:
        text_handle.close()
        raise file_error(_("The file is empty."))
    table = Table(path=path, file_format="csv", headers=[h.strip() for h in headers], rows=iter(()),
                  encoding=encoding, delimiter=delimiter)
    table._closers.append(text_handle)
    table.rows = _csv_rows(reader)
    table._reader = reader
    return table


def _first_non_empty(reader: Any) -> list[str] | None:
    for values in reader:
        if any(value.strip() for value in values):
            return list(values)
    return None


def _csv_rows(reader: Any) -> Iterator[Row]:
    """One Row at a time (the mapping page's preview), read as ``_csv_batches`` reads them."""
    for batch in _csv_batches(reader, PREVIEW_BATCH):
        yield from (Row(number, values) for number, values in zip(batch.numbers, batch.values, strict=True))


def _line_breaks(value: str) -> int:
    return value.count("\n") + value.count("\r") - value.count("\r\n")


def _csv_batches(reader: Any, size: int) -> Iterator[Batch]:
    """The data rows a batch at a time: no object per row, row numbers counted from the reader's
    line number (a quoted value over several lines moves the following rows down)."""
    try:
        while True:
            start = reader.line_num
            chunk = list(islice(reader, size))
            if not chunk:
                return
            numbers: Sequence[int]
            if reader.line_num - start == len(chunk):
                numbers = range(start + 1, start + 1 + len(chunk))
            else:
                line, numbers = start, []
                for values in chunk:
                    line += 1 + sum(map(_line_breaks, values))
                    numbers.append(line)
            kept = list(map(any, chunk))
            if not all(kept):  # blank lines and rows of empty cells
                numbers = [number for number, keep in zip(numbers, kept, strict=True) if keep]
                chunk = [values for values, keep in zip(chunk, kept, strict=True) if keep]
                if not chunk:
                    continue
            yield Batch(chunk, numbers)
    except UnicodeDecodeError:
        raise file_error(_("The file changes encoding after line %(line)s: part of it is not readable text. "
                           "Save it again as “CSV UTF-8”.") % {"line": reader.line_num}) from None


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """An Excel cell as the text a person typed: 3501100001239.0 → ``3501100001239``, a date → ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()


def _open_xlsx(path: Path, *, sheet: str) -> Table:
    import openpyxl

    try:
        values_book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:
        raise file_error(_("This Excel file cannot be read. Open it in Excel and save it again as .xlsx.")) from None
    names = list(values_book.sheetnames)
    chosen = sheet or names[0]
    if chosen not in names:
        values_book.close()
        formula_book.close()
        raise file_error(_("There is no sheet “%(sheet)s”. Sheets: %(sheets)s")
                         % {"sheet": sheet, "sheets": ", ".join(names)})
    values_sheet = values_book[chosen]
    formula_sheet = formula_book[chosen]
    merged = _merged_ranges(path, getattr(values_sheet, "_worksheet_path", ""))
    rows = _xlsx_rows(values_sheet, formula_sheet, merged)
    header_row = next(rows, None)
    while header_row is not None and not any(header_row.values):
        header_row = next(rows, None)
    if header_row is None:
        values_book.close()
        formula_book.close()
        raise file_error(_("The sheet “%(sheet)s” is empty.") % {"sheet": chosen})
    notes = []
    if merged:
        notes.append(_("Merged cells were filled with the value of their top-left cell: %(ranges)s")
                     % {"ranges": ", ".join(ref for ref, *_rest in merged[:20])})
    table = Table(path=path, file_format="xlsx", headers=[h.strip() for h in header_row.values],
                  rows=(row for row in rows if any(row.values)), sheet=chosen, sheets=names, notes=notes,
                  estimated_rows=max(0, (values_sheet.max_row or 0) - header_row.number))
    table._closers.extend([values_book, formula_book])
    return table


def list_sheets(path: str | Path) -> list[str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:
        raise file_error(_("This Excel file cannot be read. Open it in Excel and save it again as .xlsx.")) from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


_REF = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")


def _col_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _merged_ranges(path: Path, sheet_path: str) -> list[tuple[str, int, int, int, int]]:
    """(ref, first row, last row, first col, last col) of each merged range, 0-based columns."""
    if not sheet_path:
        return []
    out = []
    with zipfile.ZipFile(path) as archive:
        try:
            stream = archive.open(sheet_path.lstrip("/"))
        except KeyError:
            return []
        with stream:
            for _event, element in iterparse(stream):
                if element.tag.endswith("}mergeCell") and (m := _REF.match(element.get("ref", ""))):
                    out.append((m[0], int(m[2]), int(m[4]), _col_index(m[1]), _col_index(m[3])))
                element.clear()
    return out


def _xlsx_rows(values_sheet: Any, formula_sheet: Any,
               merged: list[tuple[str, int, int, int, int]]) -> Iterator[Row]:
    fills: dict[tuple[int, int], str] = {}  # (row, col) -> value copied from a merged top-left cell
    pending = sorted(merged, key=lambda m: m[1])
    formulas = formula_sheet.iter_rows()
    for number, cells in enumerate(values_sheet.iter_rows(min_row=1), start=1):
        formula_cells = next(formulas, ())
        values = [cell_text(c.value) for c in cells]
        problem = ""
        for index, cell in enumerate(formula_cells):
            raw = getattr(cell, "value", None)
            if isinstance(raw, str) and raw.startswith("=") and index < len(values) and not values[index]:
                problem = _("Cell %(cell)s has a formula with no saved value: open the file in Excel, "
                            "let it calculate, and save it.") % {"cell": getattr(cell, "coordinate", "")}
                break
        while pending and pending[0][1] == number:
            _ref, first, last, col_from, col_to = pending.pop(0)
            top_left = values[col_from] if col_from < len(values) else ""
            for r in range(first, last + 1):
                for c in range(col_from, col_to + 1):
                    if (r, c) != (first, col_from):
                        fills[(r, c)] = top_left
        if fills:
            for (r, c) in [key for key in fills if key[0] == number]:
                while len(values) <= c:
                    values.append("")
                values[c] = values[c] or fills.pop((r, c))
        yield Row(number, values, problem)

