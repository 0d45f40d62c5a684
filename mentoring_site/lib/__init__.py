"""The library layer: helpers every app uses and that import no app of the project (academic
year, collation, lookups, form helpers, the PDF renderer, uploads, the session engine and its
limits, the security log, backups, home counters). ``lint-imports`` keeps it that way
(``pyproject.toml``)."""
