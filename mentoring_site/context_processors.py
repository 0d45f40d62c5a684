from registry.models import Notification
from registry.roles import HOME_TITLES, roles_for


def roles(request):
    current = roles_for(request)
    homes = current.homes
    # Staff roles keep «Личный кабинет» (own questionnaires) in the user menu, not the top bar.
    top = [name for name in homes if name != "teacher"] or homes
    unread = 0
    if request.user.is_authenticated:
        unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return {
        "roles": current,
        "unread_notifications": unread,
        "home_links": [(name, HOME_TITLES[name]) for name in top],
        "has_personal_home": "teacher" in homes and len(homes) > 1,
        "session_idle_seconds": getattr(request, "session_idle_seconds", None),
    }
