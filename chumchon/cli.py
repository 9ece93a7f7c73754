"""``chumchon`` console script: Django's management commands with Chumchon's settings.

``chumchon serve`` is an alias: gunicorn when CHUMCHON_DEBUG is off, runserver when it is on.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chumchon.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "chumchon"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
