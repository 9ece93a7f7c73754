"""Where instruments come from: the shipped files in ``definitions/`` (``<code>.v<version>.yaml``)
and the custom ones an administrator added (``InstrumentFile`` rows). Every version stays
loadable, so an old assessment is always read under the version it was given under.

Both are cached in the process; ``clear_cache()`` (called by ``instrument_add``) drops the custom
ones, and they are re-read at most every ``CUSTOM_TTL`` seconds so other processes see an upload.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from chumchon.visits.instruments.loader import parse_definition
from chumchon.visits.instruments.schema import DefinitionError, Instrument

DEFINITIONS = Path(__file__).parent / "definitions"
FILE_NAME = re.compile(r"^(?P<code>[a-z][a-z0-9_]*)\.v(?P<version>[0-9]+)\.(?:yaml|yml|json)$")
CUSTOM_TTL = 30.0

_lock = threading.Lock()
_shipped: dict[tuple[str, int], Instrument] | None = None
_custom: dict[tuple[str, int], Instrument] | None = None
_custom_read_at = 0.0


def load_shipped() -> dict[tuple[str, int], Instrument]:
    """Every shipped definition; a broken file is a programming error and fails loudly."""
    out: dict[tuple[str, int], Instrument] = {}
    for path in sorted(DEFINITIONS.iterdir()):
        match = FILE_NAME.match(path.name)
        if not match:
            continue
        fmt = "json" if path.suffix == ".json" else "yaml"
        try:
            instrument = parse_definition(path.read_text(encoding="utf-8"), fmt, source="shipped")
        except DefinitionError as exc:
            raise DefinitionError([(line, f"{path.name}: {msg}") for line, msg in exc.problems]) from exc
        if (instrument.code, instrument.version) != (match["code"], int(match["version"])):
            raise DefinitionError([(1, f"{path.name}: code/version differ from the file name")])
        out[(instrument.code, instrument.version)] = instrument
    return out


def _load_custom() -> dict[tuple[str, int], Instrument]:
    from chumchon.visits.models import InstrumentFile

    out: dict[tuple[str, int], Instrument] = {}
    for row in InstrumentFile.objects.order_by("code", "version"):
        try:
            instrument = parse_definition(row.source, row.source_format, source="custom")
        except DefinitionError:
            continue  # refused at upload; a later loader change must not break every page
        if not row.is_active:
            instrument = _inactive(instrument)
        out[(instrument.code, instrument.version)] = instrument
    return out


def _inactive(instrument: Instrument) -> Instrument:
    from dataclasses import replace

    return replace(instrument, active=False)


def shipped() -> dict[tuple[str, int], Instrument]:
    global _shipped
    if _shipped is None:
        with _lock:
            if _shipped is None:
                _shipped = load_shipped()
    return _shipped


def custom() -> dict[tuple[str, int], Instrument]:
    global _custom, _custom_read_at
    now = time.monotonic()
    if _custom is None or now - _custom_read_at > CUSTOM_TTL:
        loaded = _load_custom()
        with _lock:
            _custom, _custom_read_at = loaded, now
    return _custom


def clear_cache() -> None:
    global _custom
    with _lock:
        _custom = None


def shipped_codes() -> set[str]:
    return {code for code, _version in shipped()}


def all_instruments() -> dict[tuple[str, int], Instrument]:
    # Shipped ones win: a custom file can never replace a shipped code (refused at upload).
    return {**custom(), **shipped()}


def get_instrument(code: str, version: int | None = None) -> Instrument:
    """The instrument ``code`` at ``version``, or its latest active version; ``LookupError`` when unknown."""
    # A shipped code is never a custom one (refused at upload): no database read for it.
    everything = shipped() if code in shipped_codes() else all_instruments()
    if version is not None:
        try:
            return everything[(code, int(version))]
        except (KeyError, ValueError, TypeError):
            raise LookupError(f"unknown instrument {code} v{version}") from None
    versions = [inst for (c, _v), inst in everything.items() if c == code and inst.active]
    if not versions:
        raise LookupError(f"unknown instrument {code}")
    return max(versions, key=lambda inst: inst.version)


def list_versions(code: str) -> list[Instrument]:
    everything = shipped() if code in shipped_codes() else all_instruments()
    return sorted((inst for (c, _v), inst in everything.items() if c == code), key=lambda i: i.version)


def list_instruments() -> list[Instrument]:
    """The latest active version of every instrument, shipped first, then custom, by code."""
    latest: dict[str, Instrument] = {}
    for (code, _version), inst in all_instruments().items():
        if inst.active and (code not in latest or inst.version > latest[code].version):
            latest[code] = inst
    return sorted(latest.values(), key=lambda i: (i.source != "shipped", i.code))
