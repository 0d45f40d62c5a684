#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring_site.settings")
    # A machine without a secret key is a developer's: manage.py runs in development mode
    # there. Servers set DJANGO_SECRET_KEY, and gunicorn (wsgi.py) never falls back.
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
