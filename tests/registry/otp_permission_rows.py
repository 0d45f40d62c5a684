"""Permission-table rows of otp (tests/permission_helpers.py says how)."""

ROWS = {}
