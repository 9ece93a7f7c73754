"""How a source record keeps its row as read (``SourceRecord.raw``), in text that is cheap to write.

A million rows are written per import, and the raw row is never searched, only shown, so it is kept
as the cells joined by the unit separator (U+001F), named by the import's headers. A row whose cells
hold that separator, or whose first cell starts with ``[`` or ``{``, is written as a JSON array
instead; records imported before this format hold a JSON object header → text. ``raw_decode`` reads
all three.
"""

from __future__ import annotations

import json
from typing import Any

SEPARATOR = "\x1f"


def raw_encode(cells: list[str]) -> str:
    text = SEPARATOR.join(cells)
    if text.count(SEPARATOR) != max(len(cells) - 1, 0) or text[:1] in ("[", "{") or (cells and not text):
        return json.dumps(cells, ensure_ascii=False)
    return text


def raw_encode_rows(rows: list[list[str]]) -> list[str]:
    """``raw_encode`` of each row; the usual batch (no separator inside a cell) in one pass."""
    join = SEPARATOR.join
    texts = [join(cells) for cells in rows]
    whole = "\n".join(texts)
    expected = sum(map(len, rows)) - len(rows)
    if whole.count(SEPARATOR) == expected and "\n[" not in whole and "\n{" not in whole \
            and whole[:1] not in ("[", "{") and "" not in texts:
        return texts
    return [raw_encode(cells) for cells in rows]


def raw_decode(text: str) -> list[str] | dict[str, Any]:
    """The cells of a stored row (a dict for records imported as JSON objects)."""
    if not text:
        return []
    if text[0] in ("[", "{"):
        try:
            value = json.loads(text)
        except ValueError:
            return [text]
        return value if isinstance(value, dict | list) else [text]
    return text.split(SEPARATOR)
