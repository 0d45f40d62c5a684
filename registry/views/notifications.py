"""A person's notifications: the in-app copy of what was also e-mailed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentoring_site.lib.pages import list_page
from registry.models import Notification
from registry.roles import forget_navigation


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)
    page_obj = list_page(request, notifications, 25)
    return render(
        request,
        "registry/notifications/notification_list.html",
        {
            "page_obj": page_obj,
            "notifications": page_obj.object_list,
            "unread": notifications.filter(read_at__isnull=True).count(),
            "crumbs": [("Главная", reverse("home")), ("Уведомления", None)],
        },
    )


@require_POST
@login_required
def notification_read_all(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        forget_navigation([request.user.pk])  # the menu's unread count (update sends no signal)
        messages.success(request, "Все уведомления отмечены как прочитанные.")
    return redirect("registry:notification-list")
