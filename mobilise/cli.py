"""The ``mobilise`` console script: Django's management commands under one name.

``mobilise migrate``, ``mobilise demo``, ``mobilise places load`` … Settings default to ``local``
(a developer's machine); production sets ``DJANGO_SETTINGS_MODULE=mobilise.settings.production``.
Commands with a sub-command (``places load``) are spelt ``places_load`` inside Django, so
``mobilise places load`` and ``mobilise places_load`` both work.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilise.settings.local")
    args = list(sys.argv if argv is None else argv)
    args[0] = "mobilise"
    if len(args) >= 3 and not args[1].startswith("-") and not args[2].startswith("-"):
        import django
        from django.core.management import get_commands

        django.setup()
        joined = f"{args[1]}_{args[2]}"
        if joined in get_commands():
            args[1:3] = [joined]
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
