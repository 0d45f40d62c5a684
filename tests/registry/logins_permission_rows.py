"""Permission-table rows of issue 16 (tests/permission_helpers.py says how): «Пользователи»
with its two lists, the bulk creation of logins and new invitation codes, the result page and its
sheets, «Вход по коду приглашения», and one's own contacts.

«Пользователи» opens to the head (reads, assigns roles), the curator and the sysadmin (create
logins and codes); the outsider is all three in their own kindergarten. The head is refused the
creation with 403. An empty submission is refused on the page (200, «Никто не выбран»); with no
creation in the session the result page and its PDF send back to the list (302). The sign-in by
code is open to everyone; its password step, without an accepted code, sends back (302). Only
a person with a login has «Мои контакты»; the link of an e-mail change works for its owner only.

Also changed by issue 16, in tests/test_permissions.py: ``registry:user-list`` opens to the
curator (``answers(head=200, curator=200, sysadmin=200, outsider=200)``)."""

from registry.models import EmailChange
from registry.services.contacts import confirmation_token
from tests.permission_helpers import ROLES, Row, answers, no_kwargs

USERS_GET = {"head": 200, "curator": 200, "sysadmin": 200, "outsider": 200}
SEARCH_POST = {"head": 302, "curator": 302, "sysadmin": 302, "outsider": 302}
CREATORS_POST = {"head": 403, "curator": 200, "sysadmin": 200, "outsider": 200}
ISSUED_GET = {"head": 403, "curator": 302, "sysadmin": 302, "outsider": 302}
OWN_PEOPLE = {"mentor": 200, "mentee": 200, "teacher": 200}


def EMAIL_CHANGE(world, objects):  # noqa: N802  (reads as a constant in the table)
    """A waiting change of the teacher's e-mail address: the token of its link."""
    change = EmailChange.objects.create(
        person=world.teacher_person, old_email="", new_email="smirnova@example.org"
    )
    return {"token": confirmation_token(change)}


ROWS = {
    "registry:login-people": Row(no_kwargs, answers(**USERS_GET)),
    "registry:user-search": Row(
        no_kwargs,
        answers(**SEARCH_POST),
        method="post",
        data={"list_name": "users", "q": "Иванова"},
    ),
    "registry:logins-create": Row(no_kwargs, answers(**CREATORS_POST), method="post"),
    "registry:codes-reissue": Row(no_kwargs, answers(**CREATORS_POST), method="post"),
    "registry:logins-issued": Row(no_kwargs, answers(**ISSUED_GET)),
    "registry:logins-issued-pdf": Row(no_kwargs, answers(**ISSUED_GET)),
    "registry:my-contacts": Row(no_kwargs, answers(**OWN_PEOPLE)),
    "registry:my-email-confirm": Row(EMAIL_CHANGE, answers(teacher=200)),
    "registry:my-email-confirm-post": Row(EMAIL_CHANGE, answers(teacher=302), method="post"),
    "invitation-code": Row(no_kwargs, {role: 200 for role in ROLES}),
    "invitation-password": Row(no_kwargs, {role: 302 for role in ROLES}),
}
