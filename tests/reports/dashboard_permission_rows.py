"""Permission-table rows of this part (tests/permission_helpers.py says how)."""

ROWS: dict = {}
