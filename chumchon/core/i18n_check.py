"""Checks that the Thai catalogue is complete: used by the test suite and `make messages`."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
THAI_PO = PACKAGE / "locale" / "th" / "LC_MESSAGES" / "django.po"


def read_po(path: Path) -> dict[tuple[str, str], list[str]]:
    """(msgctxt, msgid) → translations, for every entry that is not obsolete. Fuzzy entries count
    as untranslated."""
    entries: dict[tuple[str, str], list[str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += ast.literal_eval(line)
                continue
            key, _, value = line.partition(" ")
            fields[key] = ast.literal_eval(value)
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        translations = [value for name, value in fields.items() if name.startswith("msgstr")]
        entries[(fields.get("msgctxt", ""), fields["msgid"])] = [] if fuzzy else translations
    return entries


def untranslated(entries: dict[tuple[str, str], list[str]]) -> list[str]:
    return sorted(msgid for (_ctx, msgid), values in entries.items() if not values or not all(values))


def extract_current() -> dict[tuple[str, str], list[str]]:
    """Run makemessages on a copy of the package and return what it finds in the code now."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "chumchon"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "tests"))
        env = {**os.environ, "PYTHONPATH": tmp, "DJANGO_SETTINGS_MODULE": "chumchon.settings",
               "CHUMCHON_DATA_DIR": str(Path(tmp) / "var")}
        env.pop("CHUMCHON_DATABASE_URL", None)
        code = ("import django; django.setup(); from django.core.management import call_command; "
                "call_command('makemessages', locale=['th'], no_location=True, no_obsolete=True, verbosity=0)")
        subprocess.run([sys.executable, "-c", code], cwd=copy, env=env, check=True)
        return read_po(copy / "locale" / "th" / "LC_MESSAGES" / "django.po")
