"""The fast path for a plain CSV list: Arrow (pyarrow, C++) parses the file and applies the cleaning
column by column, so Python runs once per DISTINCT value, not once per row.

The rules are RowCleaner's own (its memos and checks); only the per-row glue moves into Arrow.
``arrow_batches`` refuses (``NotPlain``) a file it would read differently from Python's csv module:
a row with more or fewer cells than the header, a quoted value over several lines (row numbers in
the error report would shift), a cell holding the unit separator of raw rows. The import then
starts again on the Python path inside the same transaction (services.imports), so the result is
the same either way (tests compare both paths on the same files).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from chumchon.linkage.importing.cleaning import _MAX, _TITLE_SEX, RowCleaner, RowRejected, _Memo
from chumchon.linkage.importing.raw import raw_encode
from chumchon.linkage.importing.readers import Table

_ARROW_ENCODINGS = {"utf-8-sig": "utf8", "utf-8": "utf8", "cp874": "cp874"}
_DIRTY = r"^\s|\s$|\s\s|[\x00-\x1f\x7f]"  # a value _clean_text would change (ASCII columns)
_DIRTY_ROW = r"^\s|\s$|\s\s|\s\x1f|\x1f\s|[\x00-\x1e\x7f]"  # the same for any cell of a joined row
BLOCK_BYTES = 4 << 20  # one batch per block read: about 30 000 rows of a usual list


class NotPlain(Exception):
    """The file needs the Python reader."""


def arrow_may_read(table: Table) -> bool:
    """A CSV file in an encoding Arrow reads, with its header on the first line."""
    reader = getattr(table, "_reader", None)
    return (table.file_format == "csv" and table.encoding in _ARROW_ENCODINGS and reader is not None
            and reader.line_num == 1)


@dataclass
class ArrowBatch:
    columns: list[pa.Array]  # one string array per header column, as read
    joined: pa.Array  # each row's cells joined by the unit separator (the raw row, mostly)
    first_number: int  # the row number (as a spreadsheet shows it) of the first row


def arrow_batches(table: Table) -> Iterator[ArrowBatch]:
    """The data rows of a CSV ``table`` in Arrow batches; raises NotPlain for a file to read in Python."""
    if not arrow_may_read(table):
        raise NotPlain
    width = len(table.headers)
    names = [f"c{index}" for index in range(width)]

    refused: list[Any] = []

    def refuse(row: Any) -> str:  # an exception raised here would be swallowed by pyarrow
        refused.append(row)
        return "skip"

    try:
        reader = pcsv.open_csv(
            table.path,
            read_options=pcsv.ReadOptions(skip_rows=1, column_names=names,  # the header (arrow_may_read)
                                          encoding=_ARROW_ENCODINGS[table.encoding],
                                          block_size=BLOCK_BYTES),
            parse_options=pcsv.ParseOptions(delimiter=table.delimiter or ",", newlines_in_values=True,
                                            ignore_empty_lines=False, invalid_row_handler=refuse),
            convert_options=pcsv.ConvertOptions(column_types={name: pa.string() for name in names},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
        number = 2  # the first data row, as a spreadsheet numbers it
        for batch in reader:
            if refused:
                raise NotPlain
            columns = [batch.column(index) for index in range(width)]
            joined = pc.binary_join_element_wise(*columns, "\x1f") if width > 1 else columns[0]
            if pc.any(pc.match_substring_regex(joined, r"[\n\r]")).as_py() or \
                    not pc.all(pc.equal(pc.count_substring(joined, "\x1f"), width - 1)).as_py():
                raise NotPlain
            yield ArrowBatch(columns, joined, number)
            number += batch.num_rows
        if refused:
            raise NotPlain
    except (pa.ArrowException, UnicodeError):  # a bad byte, a broken quote: the Python path says which line
        raise NotPlain from None


class ArrowCleaner:
    """``RowCleaner.clean_rows`` for an ArrowBatch: the same result as an Arrow table of good rows
    (columns as the writer takes them) and the rejected rows as (row number, values, reason)."""

    def __init__(self, cleaner: RowCleaner) -> None:
        self.cleaner = cleaner
        self._clean_ascii = False
        self._iso = _Memo(self._iso_of)
        self._year_only: set[str] = set()
        self._title_sex = _Memo(lambda title: _TITLE_SEX.get(title, ""))
        self._phones = _Memo(lambda phone: cleaner._phones[phone] if phone else "")

    def clean(self, batch: ArrowBatch) -> tuple[pa.Table, list[tuple[int, list[str], str]], set[str]]:
        cleaner = self.cleaner
        raw_columns = batch.columns
        joined = batch.joined
        count = len(raw_columns[0])
        numbers = pa.array(range(batch.first_number, batch.first_number + count), pa.int64())
        # Rows of empty cells are skipped, as the Python reader does (their numbers stay counted).
        empty = reduce(pc.and_, [pc.equal(c, "") for c in raw_columns])
        if pc.any(empty).as_py():
            keep = pc.invert(empty)
            raw_columns = [c.filter(keep) for c in raw_columns]
            joined = joined.filter(keep)
            numbers = numbers.filter(keep)
            count = len(numbers)
        blank = pa.array([""] * count, pa.string())
        reasons: dict[int, str] = {}
        # One look at the whole row tells whether any ASCII cell needs cleaning at all.
        self._clean_ascii = not pc.any(pc.match_substring_regex(joined, _DIRTY_ROW)).as_py()

        def column(name: str) -> pa.Array:
            index = cleaner.columns.get(name)
            return self._text(raw_columns[index]) if index is not None else blank

        number_list = numbers.to_pylist()
        keys = column("source_key")
        cleaner._check_keys(number_list, keys.to_pylist(), reasons)
        national_ids = self._national_ids(column("national_id"), reasons)
        titles, first_names, last_names = column("title"), column("first_name"), column("last_name")
        if "full_name" in cleaner.columns:
            titles, first_names, last_names = self._full_names(column("full_name"), titles, first_names, last_names)
        if "title" in cleaner.columns or "full_name" in cleaner.columns:
            titles = self._map(titles, cleaner._titles)
        birth_dates, year_only = self._dates(column("birth_date"), reasons)
        sexes = self._map(column("sex"), cleaner._sex) if "sex" in cleaner.columns else blank
        if pc.any(pc.equal(sexes, "")).as_py():
            sexes = pc.if_else(pc.equal(sexes, ""), self._map(titles, self._title_sex), sexes)
        areas = self._areas(column("tambon_code"), column("moo"), column("village_code"), reasons)
        phones = column("phone")
        if "phone" in cleaner.columns and not pc.all(pc.match_substring_regex(phones, r"^(0[0-9]{0,19})?$")).as_py():
            phones = self._map(phones, self._phones)
        house_nos, nicknames = column("house_no"), column("nickname")
        for name, values in (("source_key", keys), ("title", titles), ("first_name", first_names),
                             ("last_name", last_names), ("nickname", nicknames), ("house_no", house_nos)):
            too_long = pc.greater(pc.utf8_length(values), _MAX[name])
            if pc.any(too_long).as_py():
                for index in pc.indices_nonzero(too_long).to_pylist():
                    reasons.setdefault(index, cleaner.too_long_message(name))
        raws = self._raws(raw_columns, joined)
        good = pa.table({
            "source_key": keys, "national_id": national_ids, "title": titles, "first_name": first_names,
            "last_name": last_names, "nickname": nicknames, "sex": sexes, "birth_date": birth_dates,
            "birth_year_only": year_only, "house_no": house_nos, "area_id": areas, "phone": phones, "raw": raws})
        rejected: list[tuple[int, list[str], str]] = []
        if reasons:
            indices = sorted(reasons)
            taken = [c.take(pa.array(indices)).to_pylist() for c in raw_columns]
            rejected = [(number_list[index], list(values), reasons[index])
                        for index, values in zip(indices, zip(*taken, strict=True), strict=True)]
            mask = [True] * count
            for index in indices:
                mask[index] = False
            good = good.filter(pa.array(mask))
        used = {code for code in pc.unique(good.column("area_id")).to_pylist() if code}
        return good, rejected, used

    # -- columns ---------------------------------------------------------------------------------

    def _text(self, values: pa.Array) -> pa.Array:
        if pc.all(pc.string_is_ascii(values)).as_py() and (
                self._clean_ascii or not pc.any(pc.match_substring_regex(values, _DIRTY)).as_py()):
            return values
        return self._map(values, self.cleaner._text)

    @staticmethod
    def _map(values: pa.Array, memo: Any, kind: pa.DataType | None = None) -> pa.Array:
        encoded = pc.dictionary_encode(values)
        distinct = encoded.dictionary.to_pylist()
        mapped = [memo[value] for value in distinct]
        if mapped == distinct:
            return values
        return pa.array(mapped, kind or pa.string()).take(encoded.indices)

    def _national_ids(self, ids: pa.Array, reasons: dict[int, str]) -> pa.Array:
        odd = pc.invert(pc.match_substring_regex(ids, r"^(\d{13})?$"))
        if not pc.any(odd).as_py():
            return ids
        # Only the IDs that are not plain 13 digits go through Python (separators removed, or refused).
        indices = pc.indices_nonzero(odd).to_pylist()
        local: dict[int, str] = {}
        fixed = self.cleaner._national_ids(ids.take(pa.array(indices)).to_pylist(), local)
        for position, reason in local.items():
            reasons.setdefault(indices[position], reason)
        return pc.replace_with_mask(ids, odd, pa.array(fixed, pa.string()))

    def _full_names(self, full: pa.Array, titles: pa.Array, first_names: pa.Array,
                    last_names: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
        use = pc.and_(pc.equal(first_names, ""), pc.not_equal(full, ""))
        if not pc.any(use).as_py():
            return titles, first_names, last_names
        encoded = pc.dictionary_encode(full)
        parts = [self.cleaner._full[value] for value in encoded.dictionary.to_pylist()]
        from_full = [pa.array([p[i] for p in parts], pa.string()).take(encoded.indices) for i in range(3)]
        titles = pc.if_else(pc.and_(use, pc.equal(titles, "")), from_full[0], titles)
        first_names = pc.if_else(use, from_full[1], first_names)
        last_names = pc.if_else(pc.and_(use, pc.equal(last_names, "")), from_full[2], last_names)
        return titles, first_names, last_names

    def _dates(self, texts: pa.Array, reasons: dict[int, str]) -> tuple[pa.Array, pa.Array]:
        encoded = pc.dictionary_encode(texts)
        iso = pa.array(list(map(self._iso.__getitem__, encoded.dictionary.to_pylist())),
                       pa.string()).take(encoded.indices)
        if self._year_only:
            year_only = pc.is_in(texts, value_set=pa.array(list(self._year_only), pa.string()))
        else:
            year_only = pa.array([False] * len(texts), pa.bool_())
        bad_dates = self.cleaner._bad_dates
        if bad_dates:
            bad = pc.is_in(texts, value_set=pa.array(list(bad_dates), pa.string()))
            if pc.any(bad).as_py():
                for index in pc.indices_nonzero(bad).to_pylist():
                    reasons.setdefault(index, self.cleaner._dates[texts[index].as_py()])
        return iso, year_only

    def _iso_of(self, text: str) -> str | None:
        """The ISO date of a birth-date text (None when unreadable); remembers year-only texts."""
        result = self.cleaner._dates[text]
        if type(result) is str:
            return None
        if result[1]:
            self._year_only.add(text)
        return result[0]

    def _areas(self, tambons: pa.Array, moos: pa.Array, villages: pa.Array, reasons: dict[int, str]) -> pa.Array:
        joined = pc.binary_join_element_wise(tambons, moos, villages, "\x1f")
        encoded = pc.dictionary_encode(joined)
        results = [self.cleaner._areas[tuple(value.split("\x1f"))] for value in encoded.dictionary.to_pylist()]
        codes = pa.array([r if type(r) is str else "" for r in results], pa.string()).take(encoded.indices)
        if any(isinstance(r, RowRejected) for r in results):
            errors = pa.array([str(r) if isinstance(r, RowRejected) else None for r in results],
                              pa.string()).take(encoded.indices)
            for index in pc.indices_nonzero(pc.is_valid(errors)).to_pylist():
                reasons.setdefault(index, errors[index].as_py())
        return codes

    @staticmethod
    def _raws(columns: list[pa.Array], raws: pa.Array) -> pa.Array:
        # raw_encode writes JSON for a row whose first cell starts with [ or { (the cells hold no
        # separator: arrow_batches checked).
        odd = pc.or_(pc.starts_with(columns[0], "["), pc.starts_with(columns[0], "{"))
        if len(columns) == 1:
            odd = pc.or_(odd, pc.equal(columns[0], ""))
        if pc.any(odd).as_py():
            indices = pc.indices_nonzero(odd).to_pylist()
            cells = [c.take(pa.array(indices)).to_pylist() for c in columns]
            replaced = [raw_encode(list(row)) for row in zip(*cells, strict=True)]
            raws = pc.replace_with_mask(raws, odd, pa.array(replaced, pa.string()))
        return raws
