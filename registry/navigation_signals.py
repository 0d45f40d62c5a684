"""The receivers that forget the cached navigation context (``registry.roles``) of the users a
write concerns; connected by ``RegistryConfig.ready``."""

from django.db.models.signals import post_delete, post_save

from audit.trail import bulk_written
from mentoring_site.lib.middleware import IDLE_SECONDS
from mentoring_site.lib.sessions import write_into_sessions
from registry.models import (
    MenteeProfile,
    MentorProfile,
    Notification,
    Organization,
    Person,
    RoleAssignment,
    User,
)
from registry.roles import forget_navigation


def _users_of_people(person_ids) -> list:
    return list(
        Person.objects.filter(pk__in=person_ids, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )


def _users_of_institutions(institution_ids) -> list:
    users = User.objects.filter(institution_id__in=institution_ids)
    return list(users.values_list("pk", flat=True))


def _changed(sender, instance, **kwargs) -> None:
    if sender is User:
        forget_navigation([instance.pk])
    elif sender in (RoleAssignment, Notification, Person):
        forget_navigation([instance.user_id])
    elif sender in (MentorProfile, MenteeProfile):
        forget_navigation(_users_of_people([instance.person_id]))
    elif sender is Organization:
        users = _users_of_institutions([instance.pk])
        forget_navigation(users)
        if users and kwargs.get("created") is False:  # a save of an existing institution
            # The idle limit the open sessions of its users hold (SessionLimitsMiddleware).
            write_into_sessions(
                user_ids=users, values={IDLE_SECONDS: instance.session_idle_minutes * 60}
            )


def _bulk_changed(sender, institution_ids, **kwargs) -> None:
    """A bulk write of people, profiles, logins or roles forgets every user of the institutions
    it touched."""
    if sender in (User, Person, MentorProfile, MenteeProfile, RoleAssignment, Organization):
        forget_navigation(_users_of_institutions([pk for pk in institution_ids if pk]))


def connect_signals() -> None:
    for model in (User, Person, MentorProfile, MenteeProfile, RoleAssignment, Organization):
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"nav-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"nav-delete-{label}")
    post_save.connect(_changed, sender=Notification, dispatch_uid="nav-save-notification")
    post_delete.connect(_changed, sender=Notification, dispatch_uid="nav-delete-notification")
    bulk_written.connect(_bulk_changed, dispatch_uid="nav-bulk")
