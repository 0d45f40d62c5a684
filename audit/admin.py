"""django-auditlog registers its admin for the entry model in use (``audit.LogEntry``);
nobody but a superuser reaches the admin (docs/security.md §1)."""
