from mentoring_site.access import HOME_TITLES, roles_for


def roles(request):
    current = roles_for(request)
    homes = current.homes
    # Staff roles keep «Личный кабинет» (own questionnaires) in the user menu, not the top bar.
    top = [name for name in homes if name != "teacher"] or homes
    return {
        "roles": current,
        "home_links": [(name, HOME_TITLES[name]) for name in top],
        "has_personal_home": "teacher" in homes and len(homes) > 1,
        "session_idle_seconds": getattr(request, "session_idle_seconds", None),
    }
