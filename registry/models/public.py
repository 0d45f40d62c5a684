"""The public section «Наставничество» of the institution's site (п. 8.1, п. 8.2).

What the curator and the sysadmin write for it: the texts of its pages (``PublicSection``),
the normative base and methodical recommendations (``PublicDocument``), news and announcements
(``NewsItem``). Everything else the section shows (programs being carried out, best cases, the
curator, orders marked for publication, the roadmap) is read from the registry when a visitor
opens a page, so it is never out of date.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def public_upload_to(instance, filename):
    """Server-made names under the institution's folder; served only through a view that checks
    the item is published."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"public/{instance.institution_id}/{secrets.token_hex(8)}.{suffix}"


class PublicSection(models.Model):
    """The section of one institution: whether it is open to visitors and the texts of its
    pages, in Markdown (``public.markup.render_markdown``)."""

    institution = models.OneToOneField(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.CASCADE,
        related_name="public_section",
        limit_choices_to={"partner_of__isnull": True},
    )
    is_published = models.BooleanField(
        "раздел опубликован",
        default=False,
        help_text="Пока раздел не опубликован, его страницы посетителям не видны.",
    )
    about = models.TextField(
        "о системе наставничества",
        blank=True,
        help_text="Цели, задачи, сроки, Положение. Оформление текста: **жирный**, списки, ссылки.",
    )
    recommendations = models.TextField(
        "методические рекомендации",
        blank=True,
        help_text="Оформление текста: **жирный**, списки, ссылки.",
    )
    contacts = models.TextField(
        "как связаться с куратором",
        blank=True,
        help_text=(
            "Часы приёма, кабинет и другие сведения. Оформление текста: **жирный**, списки, ссылки."
        ),
    )
    contact_position = models.CharField(
        "должность куратора",
        max_length=200,
        blank=True,
        help_text="Например, «старший воспитатель».",
    )
    contact_email = models.EmailField("e-mail для обращений", blank=True)
    contact_phone = models.CharField("телефон для обращений", max_length=30, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "раздел «Наставничество»"
        verbose_name_plural = "разделы «Наставничество»"

    def __str__(self):
        return f"Раздел «Наставничество»: {self.institution}"


class PublicDocument(models.Model):
    """A document of the normative base, a local act or a methodical recommendation: a file
    (PDF or DOCX), a link to the official publication, or its text (Markdown, shown on a page of
    its own: a local act such as the Положение is published as text, п. 8.1)."""

    class Level(models.TextChoices):
        FEDERAL = "federal", "федеральный уровень"
        REGIONAL = "regional", "региональный уровень"
        LOCAL = "local", "муниципальный уровень"
        LOCAL_ACT = "local_act", "локальные акты учреждения"
        RECOMMENDATION = "recommendation", "методические рекомендации"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.CASCADE,
        related_name="public_documents",
    )
    level = models.CharField("раздел", max_length=20, choices=Level)
    title = models.CharField("название", max_length=500)
    note = models.CharField(
        "реквизиты",
        max_length=300,
        blank=True,
        help_text="Например, «распоряжение Комитета по образованию от 29.11.2023 № 1520-р».",
    )
    file = models.FileField("файл", upload_to=public_upload_to, blank=True, max_length=300)
    link = models.URLField("ссылка", max_length=500, blank=True)
    text = models.TextField(
        "текст документа",
        blank=True,
        help_text="Вместо файла или ссылки: текст, например, Положения. Оформление текста: "
        "## заголовок, **жирный**, списки.",
    )
    is_published = models.BooleanField("опубликован", default=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "документ раздела «Наставничество»"
        verbose_name_plural = "документы раздела «Наставничество»"
        ordering = ["level", "position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link="") | ~Q(text=""),
                name="public_document_file_link_or_text",
                violation_error_message="Загрузите файл, укажите ссылку или вставьте текст "
                "документа.",
            ),
        ]
        indexes = [
            # The public pages list one institution's published documents by level.
            models.Index(fields=["institution", "is_published", "level"], name="public_doc_list"),
        ]

    def __str__(self):
        return self.title

    @property
    def file_kind(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper() if self.file else ""

    @property
    def has_text(self) -> bool:
        """Carries its own text, shown on the section's page of the document."""
        return bool(self.text) and not self.file and not self.link


class NewsItem(models.Model):
    """A piece of news or an announcement. Visitors see it once it is published and its
    publication time has come: a future time schedules it."""

    class Kind(models.TextChoices):
        NEWS = "news", "новость"
        ANNOUNCEMENT = "announcement", "анонс"

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        PUBLISHED = "published", "опубликована"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.CASCADE,
        related_name="news",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind, default=Kind.NEWS)
    title = models.CharField("заголовок", max_length=300)
    text = models.TextField("текст", help_text="Оформление текста: **жирный**, списки, ссылки.")
    image = models.FileField("изображение", upload_to=public_upload_to, blank=True, max_length=300)
    image_alt = models.CharField(
        "описание изображения",
        max_length=300,
        blank=True,
        help_text="Что на картинке — для тех, кто её не видит.",
    )
    photo_consents_confirmed = models.BooleanField(
        "Согласия родителей (законных представителей) детей на фото получены",
        default=False,
        help_text="Без этой отметки новость с изображением не публикуется.",
    )
    status = models.CharField(
        "состояние", max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "дата публикации",
        default=timezone.now,
        help_text="Дата в будущем — новость появится на сайте в этот день.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "новость раздела «Наставничество»"
        verbose_name_plural = "новости раздела «Наставничество»"
        ordering = ["-published_at", "-id"]
        indexes = [
            # The news page and the feed list one institution's published news by date.
            models.Index(fields=["institution", "status", "published_at"], name="public_news"),
        ]

    def __str__(self):
        return self.title

    def is_visible(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.published_at <= now

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()
