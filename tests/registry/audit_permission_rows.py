"""Permission-table rows of audit (tests/permission_helpers.py says how)."""

ROWS = {}
