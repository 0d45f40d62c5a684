"""Notifications: the in-app list, the unread badge and the e-mail copy."""

import pytest
from django.urls import reverse

from registry.models import Notification
from registry.services.notifications import notify
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def test_notify_creates_rows_and_mails_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.mentor.email = "mentor@example.org"
    world.mentor.save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(users=[world.mentor, world.mentee, None], text="Проверка", url="/groups/1/")
    assert len(rows) == 2
    assert Notification.objects.filter(user=world.mentee, text="Проверка").exists()
    run_tasks()
    assert len(mailoutbox) == 1  # the mentee has no e-mail
    assert mailoutbox[0].to == ["mentor@example.org"]
    assert "http://127.0.0.1:8000/groups/1/" in mailoutbox[0].body


def test_notify_skips_inactive_users(world):
    world.teacher.is_active = False
    world.teacher.save()
    assert notify(users=[world.teacher], text="Никому") == []


def test_a_person_sees_only_own_notifications_and_the_badge(world, as_user):
    notify(users=[world.mentor], text="Вам предложено участие")
    notify(users=[world.mentee], text="Чужое уведомление")
    client = as_user(world.mentor)
    response = client.get(reverse("registry:notification-list"))
    text = response.content.decode()
    assert "Вам предложено участие" in text
    assert "Чужое уведомление" not in text
    assert "новых" in text  # the unread badge in the navbar


def test_mark_all_read(world, as_user):
    notify(users=[world.mentor], text="Первое")
    notify(users=[world.mentor], text="Второе")
    client = as_user(world.mentor)
    response = client.post(reverse("registry:notification-read-all"), follow=True)
    assert "отмечены как прочитанные" in response.content.decode()
    assert not Notification.objects.filter(user=world.mentor, read_at__isnull=True).exists()
    assert client.get(reverse("registry:notification-read-all")).status_code == 405


def test_empty_list_explains_itself(world, as_user):
    response = as_user(world.teacher).get(reverse("registry:notification-list"))
    assert "Уведомлений пока нет" in response.content.decode()
