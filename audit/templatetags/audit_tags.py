"""``{% audit_history obj %}``: the collapsed «История изменений» of an object on its own page,
for the head, the curator and the sysadmin of the institution (nothing for anyone else).
A page that already has a heading «История изменений» (the program's own log of changes)
passes another title."""

from django import template

from audit.history import can_read_history, history_for

register = template.Library()


@register.inclusion_tag("audit/_history.html", takes_context=True)
def audit_history(context, obj, title=""):
    roles = context.get("roles")
    allowed = roles is not None and obj is not None and can_read_history(roles)
    return {"history": history_for(obj) if allowed else None, "title": title}
