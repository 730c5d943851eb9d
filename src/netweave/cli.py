"""The ``netweave`` command: Django's management commands with Netweave's settings.

Hyphenated names are accepted for the commands documented that way
(``netweave seed-scale`` runs ``seed_scale``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netweave.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "netweave"
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
