"""Adding a custom assessment instrument from a definition file (JSON or YAML).

Only a role with ``Capability.MANAGE_INSTRUMENTS`` (administrator) may add one. The file is
validated by the instrument loader; every problem is reported with its line number
(``DefinitionError``). A custom instrument may not take a shipped code, nor a (code, version)
already added, so answers given under a version never change meaning.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.core.audit import log_action
from chumchon.visits.instruments import registry
from chumchon.visits.instruments.loader import parse_definition
from chumchon.visits.instruments.schema import DefinitionError
from chumchon.visits.instruments.yamlnodes import line_of, read
from chumchon.visits.models import InstrumentFile

MAX_BYTES = 256 * 1024


def definition_format(filename: str, text: str) -> str:
    """"json" for a .json file (or one that starts like JSON when the name says nothing), else "yaml"."""
    name = (filename or "").lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if text.lstrip().startswith("{") else "yaml"


def definition_text(content: str | bytes) -> str:
    """The file as text; ``DefinitionError`` when it is too large or not UTF-8."""
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if len(raw) > MAX_BYTES:
        raise DefinitionError([(0, _("The file is larger than %(kb)s KB.") % {"kb": MAX_BYTES // 1024})])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DefinitionError([(0, _("The file is not UTF-8 text."))]) from None


def instrument_check(*, filename: str, content: str | bytes, check_codes: bool = True) -> Any:
    """Parse and validate a definition without saving it: the ``Instrument`` or ``DefinitionError``.
    With ``check_codes``, also refuse a shipped code or a (code, version) already added."""
    text = definition_text(content)
    fmt = definition_format(filename, text)
    instrument = parse_definition(text, fmt, source="custom")
    if check_codes:
        _refuse_taken(instrument.code, instrument.version, text)
    return instrument


def _refuse_taken(code: str, version: int, text: str) -> None:
    _data, lines, _problems = read(text.replace("\t", " "))
    if code in registry.shipped_codes():
        raise DefinitionError([(line_of(lines, ("code",)),
                                _("The code “%(code)s” belongs to an instrument shipped with Chumchon; "
                                  "choose another code.") % {"code": code})])
    if InstrumentFile.objects.filter(code=code, version=version).exists():
        raise DefinitionError([(line_of(lines, ("version",)),
                                _("Version %(version)s of “%(code)s” was already added; give the new file "
                                  "the next version number.") % {"code": code, "version": version})])


@transaction.atomic
def instrument_add(*, actor: Any, filename: str, content: str | bytes) -> InstrumentFile:
    """Validate and store a custom instrument. Raises ``PermissionDenied`` (shown as 404) for a
    user who may not manage instruments, ``DefinitionError`` for a file that cannot be used."""
    if not can(actor, Capability.MANAGE_INSTRUMENTS):
        raise PermissionDenied
    return _store(actor=actor, filename=filename, content=content)


def instrument_add_from_server(*, filename: str, content: str | bytes, actor: Any = None) -> InstrumentFile:
    """``chumchon instrument add``: whoever can run commands on the server already has every
    power, so no role is checked; the audit entry records that it came from the command line."""
    return _store(actor=actor, filename=filename, content=content, via="command")


@transaction.atomic
def _store(*, actor: Any, filename: str, content: str | bytes, via: str = "page") -> InstrumentFile:
    text = definition_text(content)
    fmt = definition_format(filename, text)
    instrument = instrument_check(filename=filename, content=text)
    try:
        with transaction.atomic():
            row = InstrumentFile.objects.create(
                code=instrument.code, version=instrument.version, title=instrument.title.th[:200], source=text,
                source_format=fmt, uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError:
        raise DefinitionError([(0, _("Version %(version)s of “%(code)s” was already added.")
                                % {"code": instrument.code, "version": instrument.version})]) from None
    log_action(actor=actor, verb="instrument.add", obj=row,
               data={"code": row.code, "version": row.version, "format": fmt, "filename": filename[:200],
                     "items": len(instrument.items), "via": via})
    transaction.on_commit(registry.clear_cache)
    registry.clear_cache()
    return row
