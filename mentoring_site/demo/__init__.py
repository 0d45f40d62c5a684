"""The demo kindergarten of ``manage.py load_demo``: a tool of the whole project, so it lives
in the shell and may import every app. ``loader.load_demo`` runs the steps in one transaction:
the kindergarten and the reference lists (``institution``), the staff, their consents and logins
(``people``), the banks and the questionnaires (``banks``), the founding orders (``orders``), the
groups and the approved pair's program (``groups``, ``programs``), the council (``council``), then
the roadmap, reports and public section of their apps (``<app>/demo.py``) and the withdrawn
consents (``personal_data``). The tables are in ``data``."""
