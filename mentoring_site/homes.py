"""What waits for each role on its home page (UX.md «Home page per role»)."""

BUILDERS: dict = {}
