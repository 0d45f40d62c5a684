from mentoring_site.lib import vision as low_vision
from registry.roles import HOME_TITLES, roles_for, unread_notifications


def roles(request):
    current = roles_for(request)
    homes = current.homes
    # Staff roles keep «Личный кабинет» (own questionnaires) in the user menu, not the top bar.
    top = [name for name in homes if name != "teacher"] or homes
    return {
        "roles": current,
        "unread_notifications": unread_notifications(request),
        "home_links": [(name, HOME_TITLES[name]) for name in top],
        "has_personal_home": "teacher" in homes and len(homes) > 1,
        "session_idle_seconds": getattr(request, "session_idle_seconds", None),
        "session_left_seconds": getattr(request, "session_left_seconds", None),
    }


def vision(request):
    """The reader's version for the visually impaired (ГОСТ Р 52872-2019), or None."""
    return {"vision": low_vision.from_request(request)}
