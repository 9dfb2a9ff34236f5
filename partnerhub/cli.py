"""The `partnerhub` command.

`partnerhub demo | serve | worker | load-reference | load-demo` and every Django
management command (`partnerhub migrate`, `partnerhub createsuperuser`, ...).
Hyphenated names map to the management command with underscores.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "partnerhub"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
