from mentoring_site.access import HOME_TITLES, roles_for


def roles(request):
    current = roles_for(request)
    return {
        "roles": current,
        "home_links": [(name, HOME_TITLES[name]) for name in current.homes],
        "session_idle_seconds": getattr(request, "session_idle_seconds", None),
    }
