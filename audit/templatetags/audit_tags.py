"""``{% audit_history obj %}``: the collapsed «История изменений» of an object on its own page,
for the head, the curator and the sysadmin of the institution (nothing for anyone else).
A page with its own «История» (the program's changes, the group's events) shows the trail
inside it, ``nested``: one history block per object (issue 19), the field-by-field record
folded under the events people read."""

from django import template

from audit.history import can_read_history, history_for

register = template.Library()


@register.inclusion_tag("audit/_history.html", takes_context=True)
def audit_history(context, obj, title="", nested=False):
    roles = context.get("roles")
    allowed = roles is not None and obj is not None and can_read_history(roles)
    return {"history": history_for(obj) if allowed else None, "title": title, "nested": nested}
