"""Who the person behind a request is in their institution.

Assigned roles (head, curator, council, sysadmin) come from ``RoleAssignment``; being a mentor
or a mentee follows from the banks (a mentor or a mentee profile). What a person may do with one
group, program or order is decided by the object helpers in each app's ``access.py``, which start
from ``roles_for(request)``; templates branch on the flags returned there, never on a second copy
of a rule.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import Http404

from registry.models import Notification, Person, Role, User

HOME_ORDER = ["curator", "head", "council", "sysadmin", "mentor", "mentee", "teacher"]
HOME_TITLES = {
    "curator": "Куратор",
    "head": "Заведующий",
    "council": "Методический совет",
    "sysadmin": "Системный администратор",
    "mentor": "Наставник",
    "mentee": "Наставляемый",
    "teacher": "Личный кабинет",
}


@dataclass(frozen=True)
class Roles:
    institution: object = None
    person: object = None
    assigned: frozenset = field(default_factory=frozenset)
    is_mentor: bool = False
    is_mentee: bool = False

    @property
    def is_head(self) -> bool:
        return Role.HEAD in self.assigned

    @property
    def is_curator(self) -> bool:
        return Role.CURATOR in self.assigned

    @property
    def is_council(self) -> bool:
        return Role.COUNCIL in self.assigned

    @property
    def is_sysadmin(self) -> bool:
        return Role.SYSADMIN in self.assigned

    @property
    def can_view_banks(self) -> bool:
        """DOMAIN.md §2: head, curator, council (read) and sysadmin see the banks."""
        return bool(self.assigned & {Role.HEAD, Role.CURATOR, Role.COUNCIL, Role.SYSADMIN})

    @property
    def can_edit_banks(self) -> bool:
        """п. 3.3: the curator keeps the bank together with the sysadmin."""
        return bool(self.assigned & {Role.CURATOR, Role.SYSADMIN})

    @property
    def can_export_banks(self) -> bool:
        return bool(self.assigned & {Role.HEAD, Role.CURATOR, Role.SYSADMIN})

    @property
    def can_view_reports(self) -> bool:
        """DOMAIN.md §2: the head, the curator and the council read reports and statistics."""
        return bool(self.assigned & {Role.HEAD, Role.CURATOR, Role.COUNCIL})

    @property
    def can_manage_surveys(self) -> bool:
        """DOMAIN.md §2: the curator creates and sends questionnaires (п. 3.3)."""
        return self.is_curator

    @property
    def can_read_survey_results(self) -> bool:
        """The curator and the council read the results of questionnaires (п. 3.4)."""
        return bool(self.assigned & {Role.CURATOR, Role.COUNCIL})

    @property
    def can_edit_practices(self) -> bool:
        """The curator with the council describe the best practices (п. 3.3, п. 3.4)."""
        return bool(self.assigned & {Role.CURATOR, Role.COUNCIL})

    @property
    def can_edit_roadmap(self) -> bool:
        """п. 3.3: the curator develops the roadmap; п. 3.2: the head approves it."""
        return self.is_curator

    @property
    def can_manage_users(self) -> bool:
        return self.is_sysadmin

    @property
    def can_assign_roles(self) -> bool:
        return bool(self.assigned & {Role.HEAD, Role.SYSADMIN})

    @property
    def can_create_logins(self) -> bool:
        """Issue 16: the curator and the sysadmin give the staff logins and invitation codes."""
        return bool(self.assigned & {Role.CURATOR, Role.SYSADMIN})

    @property
    def can_view_users(self) -> bool:
        """«Пользователи»: the head (roles), the curator (logins) and the sysadmin (both)."""
        return self.can_assign_roles or self.can_create_logins

    @property
    def homes(self) -> list[str]:
        """The home pages this person has, in the order of ``HOME_ORDER``."""
        have = {str(r) for r in self.assigned}
        if self.is_mentor:
            have.add("mentor")
        if self.is_mentee:
            have.add("mentee")
        if self.person is not None and not (self.is_mentor or self.is_mentee):
            have.add("teacher")
        return [name for name in HOME_ORDER if name in have]


# --- The navigation context, cached per user (issue 21, item 2) ------------------------------
#
# Every page of a logged-in person shows the same things in its layout: the roles (the person,
# the profiles, the assigned roles, the institution) and the number of unread notifications —
# four queries on every request, for data that changes a few times a day. They are kept in
# Django's cache (settings.CACHES, one cache for every process) under the user's id, and
# forgotten (on the spot and again after the commit) by every write they read: the user, their
# person and its profiles, their role assignments, their institution, their notifications
# (``registry/apps.py`` connects the receivers; ``notify`` and «mark all read», which write in
# bulk, forget explicitly). A write that bypasses all of them shows after ``NAV_SECONDS``.

NAV_SECONDS = 5 * 60
NAV_PREFIX = "nav"


def _nav_key(user_id) -> str:
    return f"{NAV_PREFIX}:{user_id}"


def forget_navigation(user_ids) -> None:
    """Drops the cached navigation context of these users (ids), now and after the commit."""
    keys = [_nav_key(pk) for pk in set(user_ids) if pk is not None]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _compute_navigation(user) -> tuple[Roles, int]:
    person = (
        Person.objects.filter(user=user, institution_id=user.institution_id)
        .select_related("mentor_profile", "mentee_profile")
        .first()
    )
    roles = Roles(
        institution=user.institution,
        person=person,
        assigned=frozenset(user.role_assignments.values_list("role", flat=True)),
        is_mentor=person is not None and hasattr(person, "mentor_profile"),
        is_mentee=person is not None and hasattr(person, "mentee_profile"),
    )
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return roles, unread


def _navigation(request) -> tuple[Roles, int]:
    """(roles, unread notifications) of the request's user, once per request, from the cache."""
    cached = getattr(request, "_navigation", None)
    if cached is not None:
        return cached
    user = request.user
    if not user.is_authenticated or not user.is_active:
        result = (Roles(), 0)
    else:
        key = _nav_key(user.pk)
        entry = cache.get(key)
        # The entry names the institution it was computed for: a user moved to another one
        # (a save that forgets it, but a read may race the write) never sees the old roles.
        if entry is None or entry[2] != user.institution_id:
            if user.institution_id is None:
                unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
                entry = (Roles(), unread, None)
            else:
                entry = (*_compute_navigation(user), user.institution_id)
            cache.set(key, entry, NAV_SECONDS)
        result = entry[:2]
        if result[0].institution is not None:
            # The institution is the user's: later reads of ``user.institution`` need no query.
            User.institution.field.set_cached_value(user, result[0].institution)
    request._navigation = result
    return result


def roles_for(request) -> Roles:
    """The roles of the logged-in user, computed once per request (from the navigation cache;
    three queries on a miss)."""
    return _navigation(request)[0]


def unread_notifications(request) -> int:
    """The user's unread notifications, for the layout's menu (cached with the roles)."""
    return _navigation(request)[1]


def staff_roles(request) -> Roles:
    """The roles of the institution's staff (head, curator, council, sysadmin), who read its
    roadmap, council, growth records and practices; 404 for everyone else."""
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    return roles


def require(check):
    """Decorator: 404 unless ``check(roles)`` holds. Outsiders never learn a page exists."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            roles = roles_for(request)
            if roles.institution is None or not check(roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
