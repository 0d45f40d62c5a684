"""The banks of mentors and mentees (regulation п. 3.3; Приложение 2, этапы 2–3).

Every record belongs to an institution: an ``Organization`` with ``partner_of`` empty.
Partner organizations (colleges, universities, schools; п. 1.2, п. 2.3) are records of
the institution that works with them.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.collation import normalize_for_search
from mentoring_site.lib.russian import (
    FEMININE,
    MASCULINE,
    NOMINATIVE,
    decline_phrase,
    gender_from_patronymic,
)


class Organization(models.Model):
    class Kind(models.TextChoices):
        KINDERGARTEN = "kindergarten", "Дошкольная образовательная организация"
        SCHOOL = "school", "Школа"
        COLLEGE = "college", "Колледж"
        UNIVERSITY = "university", "Вуз"
        CULTURE_SPORT = "culture_sport", "Учреждение культуры или спорта"
        DPO = "dpo", "Организация дополнительного профессионального образования"
        ENTERPRISE = "enterprise", "Предприятие"
        OTHER = "other", "Иная организация"

    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    kind = models.CharField("тип", max_length=20, choices=Kind, default=Kind.KINDERGARTEN)
    partner_of = models.ForeignKey(
        "self",
        verbose_name="партнёр учреждения",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partners",
        help_text="Пусто для учреждения, которое ведёт реестр.",
    )
    # The full name in the cases documents need inside a sentence («Заведующему …», «в …»):
    # suggested by pymorphy3 (mentoring_site.lib.russian.decline_phrase) and corrected by a
    # person in the institution's settings; empty means «as suggested».
    name_gent = models.CharField(
        "полное наименование в родительном падеже (кого? чего?)", max_length=500, blank=True
    )
    name_datv = models.CharField(
        "полное наименование в дательном падеже (кому? чему?)", max_length=500, blank=True
    )
    name_accs = models.CharField(
        "полное наименование в винительном падеже (кого? что?)", max_length=500, blank=True
    )
    name_ablt = models.CharField(
        "полное наименование в творительном падеже (кем? чем?)", max_length=500, blank=True
    )
    name_loct = models.CharField(
        "полное наименование в предложном падеже (о ком? о чём?)", max_length=500, blank=True
    )
    address = models.CharField("адрес", max_length=500, blank=True)
    head_name = models.CharField("руководитель (ФИО)", max_length=200, blank=True)
    # The operator's identifiers (152-ФЗ ст. 18.1: the policy names the operator; ст. 10.1 and
    # Приказ Роскомнадзора от 24.02.2021 № 18: the consent to dissemination gives them).
    inn = models.CharField(
        "ИНН",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^(\d{10}|\d{12})$", "ИНН — 10 или 12 цифр.")],
    )
    ogrn = models.CharField(
        "ОГРН",
        max_length=15,
        blank=True,
        validators=[RegexValidator(r"^(\d{13}|\d{15})$", "ОГРН — 13 или 15 цифр.")],
    )
    # A partner's staff member mentors under a cooperation (network) agreement with the
    # partner, not under a supplementary agreement to an employment contract (ТК РФ ст. 351.8).
    cooperation_agreement_number = models.CharField(
        "договор о сотрудничестве: номер", max_length=30, blank=True
    )
    cooperation_agreement_date = models.DateField(
        "договор о сотрудничестве: дата",
        null=True,
        blank=True,
        help_text="Договор о сотрудничестве (сетевом взаимодействии) с организацией-партнёром: "
        "без него наставника из этой организации нельзя утвердить.",
    )
    session_idle_minutes = models.PositiveSmallIntegerField(
        "завершать сеанс после бездействия, минут",
        default=60,
        help_text="От 5 минут до 12 часов.",
    )
    # The address of the institution's public section «Наставничество» (п. 8.1):
    # /nastavnichestvo/<public_slug>/. Set by the sysadmin; empty for partners.
    public_slug = models.SlugField(
        "адрес раздела «Наставничество»",
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text="Латинские буквы, цифры и дефис, например «ds64-nevsky».",
    )
    # ASVS V6.3: the head, the curator and the sysadmin of this institution must sign in
    # with a second factor (a code from an authenticator app) when this is on.
    require_second_factor = models.BooleanField(
        "требовать второй фактор от заведующего, куратора и администратора",
        default=False,
    )

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        # The installation's administrator (a district login, given in /admin/; a superuser has
        # it) keeps the reference lists and the library every kindergarten shares (issue 20).
        permissions = [
            ("manage_shared_lists", "Ведёт общие справочники и библиотеку мероприятий установки")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(partner_of=models.F("id")), name="organization_not_own_partner"
            ),
            models.CheckConstraint(
                condition=Q(session_idle_minutes__gte=5, session_idle_minutes__lte=720),
                name="organization_idle_minutes_range",
                violation_error_message="Время бездействия — от 5 до 720 минут.",
            ),
        ]

    def __str__(self):
        return self.short_name

    @property
    def is_institution(self) -> bool:
        return self.partner_of_id is None

    def name_in(self, case: str) -> str:
        """The full name in ``case`` («gent», «datv», «accs», «ablt», «loct»): as a person
        corrected it in the settings, else as the dictionary suggests."""
        if case == NOMINATIVE:
            return self.name
        return getattr(self, f"name_{case}") or decline_phrase(self.name, case)


class User(AbstractUser):
    """A login. Belongs to one institution; its roles there are ``RoleAssignment`` rows."""

    institution = models.ForeignKey(
        Organization,
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        limit_choices_to={"partner_of__isnull": True},
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    def __str__(self):
        full = f"{self.last_name} {self.first_name}".strip()
        return full or self.username


class Role(models.TextChoices):
    """Roles that are assigned. Mentor and mentee follow from the banks and groups."""

    HEAD = "head", "Заведующий"
    CURATOR = "curator", "Куратор"
    COUNCIL = "council", "Член методического совета"
    SYSADMIN = "sysadmin", "Системный администратор"


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField("роль", max_length=20, choices=Role)
    assigned_at = models.DateTimeField("назначена", default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем назначена",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # п. 3.2, 3.3, 3.4: the curator and the council hold their role by the head's signed order
    # («О назначении куратора», «О составе методического совета»). Empty only on assignments
    # made before roles came from orders: the head confirms them («Роли без приказа»).
    order = models.ForeignKey(
        "registry.Order",
        verbose_name="приказ о назначении",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    # The head is appointed by the founder (учредитель), not by an order of her own: the
    # founder's order is recorded as it reads (issuer, number, date).
    founder_issuer = models.CharField(
        "кто издал приказ (учредитель)",
        max_length=300,
        blank=True,
        help_text="Например, «Администрация Невского района Санкт-Петербурга».",
    )
    founder_order_number = models.CharField("номер приказа учредителя", max_length=30, blank=True)
    founder_order_date = models.DateField("дата приказа учредителя", null=True, blank=True)

    class Meta:
        verbose_name = "назначение роли"
        verbose_name_plural = "назначения ролей"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                name="role_assignment_unique",
                violation_error_message="Эта роль уже назначена.",
            ),
            models.CheckConstraint(
                condition=Q(order__isnull=True) | Q(role__in=["curator", "council"]),
                name="role_assignment_order_for_curator_or_council",
                violation_error_message="Приказом заведующего назначают куратора и членов "
                "методического совета.",
            ),
            models.CheckConstraint(
                condition=Q(
                    founder_order_date__isnull=True, founder_order_number="", founder_issuer=""
                )
                | Q(role="head", founder_order_date__isnull=False)
                & ~Q(founder_order_number="")
                & ~Q(founder_issuer=""),
                name="role_assignment_founder_order_complete",
                violation_error_message="Приказ учредителя указывают только для заведующего, "
                "с тем, кто его издал, номером и датой.",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}"

    @property
    def founder_order(self) -> str:
        """«приказ Администрации … от 01.09.2020 № 123-к», or empty."""
        if self.founder_order_date is None:
            return ""
        return (
            f"{self.founder_issuer}, приказ от {self.founder_order_date:%d.%m.%Y} "
            f"№ {self.founder_order_number}"
        )

    @property
    def has_basis(self) -> bool:
        """The role rests on a document: the head's order, the founder's order, or it is
        technical (the sysadmin's, given on the roles page)."""
        if self.role == Role.SYSADMIN:
            return True
        if self.role == Role.HEAD:
            return self.founder_order_date is not None
        return self.order_id is not None


class ReferenceQuerySet(models.QuerySet):
    """Reference lists belong to someone (issue 20): the installation's entries (no institution)
    are kept by its administrator; a kindergarten adds its own, seen by it alone."""

    def shared(self):
        return self.filter(institution__isnull=True)

    def visible_to(self, institution):
        """What a kindergarten's forms offer: the installation's entries and its own."""
        return self.filter(Q(institution__isnull=True) | Q(institution=institution))


class ReferenceItem(models.Model):
    """An entry of an editable reference list, seeded with the regulation's values.

    The installation's entries (``institution`` empty) follow the regional model (DOMAIN.md §7)
    and are changed only by the installation's administrator; a kindergarten's own additions
    carry its institution and are offered in its forms only. An entry in use is hidden
    (``is_active``), never deleted.
    """

    name = models.CharField("название", max_length=300)
    sort_order = models.PositiveSmallIntegerField("порядок", default=100)
    is_active = models.BooleanField("используется", default=True)
    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Пусто — общий список установки; иначе — дополнение одного учреждения.",
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]
        constraints = [
            # One name once in the installation's list, and once among a kindergarten's own.
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(institution__isnull=True),
                name="%(app_label)s_%(class)s_shared_name",
                violation_error_message="Такое значение уже есть в списке.",
            ),
            models.UniqueConstraint(
                fields=["institution", "name"],
                name="%(app_label)s_%(class)s_own_name",
                violation_error_message="Такое значение уже есть в списке.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.institution_id is None


class GroupSize(models.TextChoices):
    """What a form or kind of mentoring asks of the number of mentees (п. 2.4): «один-на-один»
    is one mentee, «в группе» two or more. Kept on the reference row, so a region that renames
    the row keeps the rule."""

    ANY = "", "любое число наставляемых"
    SINGLE = "single", "ровно один наставляемый («один-на-один»)"
    GROUP = "group", "двое и более наставляемых («в группе»)"


def _group_size_field():
    return models.CharField(
        "число наставляемых",
        max_length=10,
        choices=GroupSize,
        default=GroupSize.ANY,
        blank=True,
        help_text="Проверяется, когда пару или группу предлагают или исправляют (п. 2.4).",
    )


class MentoringForm(ReferenceItem):
    """Форма наставничества (п. 2.3)."""

    group_size = _group_size_field()

    class Meta(ReferenceItem.Meta):
        verbose_name = "форма наставничества"
        verbose_name_plural = "формы наставничества"


class MentoringKind(ReferenceItem):
    """Вид наставничества (п. 2.4)."""

    group_size = _group_size_field()

    class Meta(ReferenceItem.Meta):
        verbose_name = "вид наставничества"
        verbose_name_plural = "виды наставничества"


class Direction(ReferenceItem):
    """Направление наставнической деятельности (Приложение 1)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "направление"
        verbose_name_plural = "направления"


class MenteeCategory(ReferenceItem):
    """Категория наставляемого."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "категория наставляемого"
        verbose_name_plural = "категории наставляемых"


class Position(ReferenceItem):
    """Должность педагогического работника."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "должность"
        verbose_name_plural = "должности"


class Mode(models.TextChoices):
    ONLINE = "online", "онлайн"
    OFFLINE = "offline", "очный"
    MIXED = "mixed", "смешанный"


class QualificationCategory(models.TextChoices):
    NONE = "none", "без категории"
    CONFORMITY = "conformity", "соответствие занимаемой должности"
    FIRST = "first", "первая"
    HIGHEST = "highest", "высшая"


class EducationLevel(models.TextChoices):
    SECONDARY_VOCATIONAL = "secondary_vocational", "среднее профессиональное"
    HIGHER = "higher", "высшее"
    HIGHER_PEDAGOGICAL = "higher_pedagogical", "высшее педагогическое"
    STUDENT = "student", "обучается"
    OTHER = "other", "иное"


class PersonQuerySet(models.QuerySet):
    def search(self, text: str):
        needle = normalize_for_search(text)
        return self.filter(search_name__contains=needle) if needle else self

    def reviewed_in_year(self, on: date):
        return self.filter(last_reviewed_on__gte=academic_year_start(on))

    def not_reviewed_in_year(self, on: date):
        return self.filter(
            Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=academic_year_start(on))
        )

    def bank(self, bank: str):
        """One bank («people», «mentors», «mentees») with the rows its lists show, fetched
        in a fixed number of queries whatever the number of people."""
        queryset = self.select_related(
            "position", "organization", "mentor_profile", "mentee_profile"
        )
        if bank == "mentors":
            return queryset.filter(mentor_profile__isnull=False).prefetch_related(
                models.Prefetch(
                    "mentor_profile__competences",
                    queryset=Competence.objects.select_related("direction"),
                )
            )
        if bank == "mentees":
            return (
                queryset.filter(mentee_profile__isnull=False)
                .select_related("mentee_profile__category")
                .prefetch_related(
                    models.Prefetch(
                        "mentee_profile__difficulties",
                        queryset=Difficulty.objects.select_related("direction"),
                    )
                )
            )
        return queryset

    def without_login(self, on: date):
        """Who may be given a login (issue 16): no login yet, not anonymized, not dismissed."""
        return self.filter(user__isnull=True, anonymized_on__isnull=True).exclude(
            dismissed_on__lte=on
        )

    def with_processing_consent(self):
        return self.annotate(
            has_processing_consent=models.Exists(
                Consent.objects.active().filter(
                    person=models.OuterRef("pk"), kind=Consent.Kind.PROCESSING
                )
            )
        )

    def with_mentoring_consent(self):
        """``mentoring_consent_on``: the date of the mentor's written consent to mentoring in
        force (ТК РФ ст. 351.8), None without one."""
        return self.annotate(
            mentoring_consent_on=models.Subquery(
                Consent.objects.active()
                .filter(person=models.OuterRef("pk"), kind=Consent.Kind.MENTORING)
                .values("given_on")[:1]
            )
        )


class Person(models.Model):
    """A participant: staff of the institution, a partner's staff member or a student-intern."""

    # The person's details in the order the person's form asks for them and the statement of
    # what the registry keeps (152-ФЗ ст. 14) shows them, labelled by their verbose names. The
    # form leaves out the two set elsewhere (DETAILS_NOT_IN_FORM).
    DETAILS = (
        "last_name",
        "first_name",
        "patronymic",
        "sex",
        "birth_date",
        "organization",
        "position",
        "hired_on",
        "experience_total",
        "experience_pedagogical",
        "experience_in_position",
        "education_level",
        "education",
        "qualification_category",
        "attestation_date",
        "dismissed_on",
        "email",
        "phone",
        "last_reviewed_on",
    )
    # The dismissal date is entered in the admin, the review date by «Отметить как актуальные».
    DETAILS_NOT_IN_FORM = ("dismissed_on", "last_reviewed_on")

    institution = models.ForeignKey(
        Organization,
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="people",
        limit_choices_to={"partner_of__isnull": True},
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="организация",
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="Своё учреждение или организация-партнёр.",
    )
    last_name = models.CharField("фамилия", max_length=100, db_collation="ru_ru")
    first_name = models.CharField("имя", max_length=100, db_collation="ru_ru")
    patronymic = models.CharField("отчество", max_length=100, blank=True, db_collation="ru_ru")
    sex = models.CharField(
        "пол",
        max_length=1,
        blank=True,
        choices=[("", "по отчеству"), (MASCULINE, "мужской"), (FEMININE, "женский")],
        help_text="Для слов «согласен» или «согласна», «ознакомлен» или «ознакомлена». "
        "Оставьте «по отчеству», если отчество его называет.",
    )
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    position = models.ForeignKey(
        Position, verbose_name="должность", on_delete=models.PROTECT, null=True, blank=True
    )
    hired_on = models.DateField("дата приёма", null=True, blank=True)
    experience_total = models.DecimalField(
        "стаж общий, лет", max_digits=4, decimal_places=1, null=True, blank=True
    )
    experience_pedagogical = models.DecimalField(
        "стаж педагогический, лет", max_digits=4, decimal_places=1, null=True, blank=True
    )
    experience_in_position = models.DecimalField(
        "стаж в должности, лет", max_digits=4, decimal_places=1, null=True, blank=True
    )
    education_level = models.CharField(
        "образование", max_length=30, choices=EducationLevel, blank=True
    )
    education = models.CharField("учебное заведение, специальность", max_length=500, blank=True)
    qualification_category = models.CharField(
        "квалификационная категория",
        max_length=20,
        choices=QualificationCategory,
        default=QualificationCategory.NONE,
    )
    attestation_date = models.DateField("дата аттестации", null=True, blank=True)
    # Retention of young specialists after 1 and 3 years (DOMAIN.md §5) is read from here.
    dismissed_on = models.DateField(
        "дата увольнения",
        null=True,
        blank=True,
        help_text="Заполняется при увольнении; человек остаётся в статистике.",
    )
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("телефон", max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="учётная запись",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    # Casefolded «фамилия имя отчество» with ё as е: SQLite's LIKE folds only ASCII,
    # so the name search compares on this column on both databases.
    search_name = models.CharField(max_length=310, editable=False, db_index=True)
    last_reviewed_on = models.DateField("дата актуализации", null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем актуализировано",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the person's data was anonymized after the processing consent was withdrawn
    # (152-ФЗ ст. 21 ч. 5); the record stays only for the statistics.
    anonymized_on = models.DateField("обезличено", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "участник"
        verbose_name_plural = "участники"
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "last_name", "first_name", "patronymic", "birth_date"],
                condition=Q(birth_date__isnull=False),
                name="person_unique_name_birth_date",
                violation_error_message="Участник с такими ФИО и датой рождения уже есть.",
            ),
            models.UniqueConstraint(
                fields=["institution", "email"],
                condition=~Q(email=""),
                name="person_unique_email",
                violation_error_message="Участник с таким e-mail уже есть в реестре.",
            ),
            models.CheckConstraint(
                condition=Q(hired_on__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(hired_on__gt=models.F("birth_date")),
                name="person_hired_after_birth",
                violation_error_message="Дата приёма должна быть позже даты рождения.",
            ),
        ]
        indexes = [
            # The bank lists are ordered by name within one institution.
            models.Index(fields=["institution", "last_name", "first_name"], name="person_list"),
        ]

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        self.search_name = normalize_for_search(self.full_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return self.full_name_of(self.last_name, self.first_name, self.patronymic)

    @staticmethod
    def full_name_of(last_name, first_name, patronymic) -> str:
        """``full_name`` of a row read as values."""
        return " ".join(p for p in (last_name, first_name, patronymic) if p)

    # In a template ``{% if person.mentor_profile %}`` on a person without one costs a
    # ``dir(person)`` (Django's lookup explaining the failed attribute, ≈ 0.2 ms a row):
    # the lists ask these instead (issue 21).
    @property
    def in_mentor_bank(self) -> bool:
        return hasattr(self, "mentor_profile")

    @property
    def in_mentee_bank(self) -> bool:
        return hasattr(self, "mentee_profile")

    @property
    def gender(self) -> str:
        """«m», «f» or «» (unknown): as recorded, or as the patronymic says."""
        return self.sex or gender_from_patronymic(self.patronymic)

    @property
    def short_name(self) -> str:
        """«Иванова А. С.»; an anonymized person keeps their number: «Обезличенный участник
        № 12» (its «first name» is the number, not a name to shorten)."""
        return self.short_name_of(
            self.last_name, self.first_name, self.patronymic, anonymized=self.anonymized_on
        )

    @staticmethod
    def short_name_of(last_name, first_name, patronymic, *, anonymized) -> str:
        """``short_name`` of a row read as values (a list's columns, issue 21)."""
        if anonymized is not None:
            return Person.full_name_of(last_name, first_name, patronymic)
        initials = " ".join(f"{p[0]}." for p in (first_name, patronymic) if p)
        return f"{last_name} {initials}".strip()

    def is_reviewed_in_year(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return bool(self.last_reviewed_on and self.last_reviewed_on >= academic_year_start(on))


class MenteeProfile(models.Model):
    """The mentee bank entry (Приложение 2, этап 2)."""

    class Status(models.TextChoices):
        IN_BANK = "in_bank", "в банке"
        IN_PAIR = "in_pair", "в паре"
        COMPLETED = "completed", "завершил"
        WITHOUT_PAIR = "without_pair", "без пары"

    person = models.OneToOneField(
        Person, verbose_name="участник", on_delete=models.CASCADE, related_name="mentee_profile"
    )
    category = models.ForeignKey(MenteeCategory, verbose_name="категория", on_delete=models.PROTECT)
    strengths = models.TextField("сильные стороны", blank=True)
    preferred_forms = models.ManyToManyField(
        MentoringForm, verbose_name="предпочтительные формы", blank=True
    )
    preferred_kinds = models.ManyToManyField(
        MentoringKind, verbose_name="предпочтительные виды", blank=True
    )
    preferred_mode = models.CharField(
        "режим работы", max_length=10, choices=Mode, default=Mode.MIXED
    )
    status = models.CharField(
        "статус", max_length=20, choices=Status, default=Status.IN_BANK, db_index=True
    )
    support_note = models.TextField(
        "оказанная поддержка",
        blank=True,
        help_text="Для наставляемых без пары: какая поддержка оказана (Приложение 2, этап 5.3).",
    )
    created_at = models.DateTimeField("включён в банк", auto_now_add=True)

    class Meta:
        verbose_name = "наставляемый"
        verbose_name_plural = "банк наставляемых"

    def __str__(self):
        return str(self.person)


class Difficulty(models.Model):
    """A professional difficulty or request of a mentee, tied to a direction."""

    class Kind(models.TextChoices):
        DIFFICULTY = "difficulty", "затруднение"
        REQUEST = "request", "запрос"

    mentee = models.ForeignKey(
        MenteeProfile,
        verbose_name="наставляемый",
        on_delete=models.CASCADE,
        related_name="difficulties",
    )
    kind = models.CharField("тип", max_length=20, choices=Kind, default=Kind.DIFFICULTY)
    direction = models.ForeignKey(Direction, verbose_name="направление", on_delete=models.PROTECT)
    text = models.TextField("описание")

    class Meta:
        verbose_name = "затруднение или запрос"
        verbose_name_plural = "затруднения и запросы"
        ordering = ["direction__sort_order", "id"]

    def __str__(self):
        return f"{self.direction}: {self.text[:60]}"


class MentorProfile(models.Model):
    """The mentor bank entry (Приложение 2, этап 3)."""

    # The profile's details in the order of the mentor's form and of the statement of ст. 14.
    DETAILS = (
        "experience",
        "awards",
        "ready_forms",
        "ready_kinds",
        "capacity",
        "training_completed_on",
        "training_note",
    )

    person = models.OneToOneField(
        Person, verbose_name="участник", on_delete=models.CASCADE, related_name="mentor_profile"
    )
    experience = models.TextField("опыт наставничества", blank=True)
    awards = models.TextField("награды, участие в конкурсах", blank=True)
    ready_forms = models.ManyToManyField(MentoringForm, verbose_name="готов к формам", blank=True)
    ready_kinds = models.ManyToManyField(MentoringKind, verbose_name="готов к видам", blank=True)
    capacity = models.PositiveSmallIntegerField(
        "наставляемых одновременно", default=2, help_text="Сколько наставляемых одновременно."
    )
    training_completed_on = models.DateField(
        "обучение наставников пройдено",
        null=True,
        blank=True,
        help_text="Дата окончания обучения для наставников (Приложение 2, этап 4).",
    )
    training_note = models.CharField("обучение: программа, организация", max_length=500, blank=True)
    created_at = models.DateTimeField("включён в банк", auto_now_add=True)

    class Meta:
        verbose_name = "наставник"
        verbose_name_plural = "банк наставников"
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=10),
                name="mentor_capacity_range",
                violation_error_message="Одновременно — от 1 до 10 наставляемых.",
            ),
        ]

    def __str__(self):
        return str(self.person)


class Competence(models.Model):
    mentor = models.ForeignKey(
        MentorProfile,
        verbose_name="наставник",
        on_delete=models.CASCADE,
        related_name="competences",
    )
    direction = models.ForeignKey(Direction, verbose_name="направление", on_delete=models.PROTECT)
    text = models.TextField("в чём может помочь", blank=True)

    class Meta:
        verbose_name = "компетенция"
        verbose_name_plural = "компетенции"
        ordering = ["direction__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "direction"],
                name="competence_one_per_direction",
                violation_error_message="Это направление уже указано.",
            ),
        ]

    def __str__(self):
        return str(self.direction)


def consent_upload_to(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"consents/{instance.person.institution_id}/{timezone.now():%Y/%m}/{instance.kind}.{suffix}"
    )


# The categories a consent to dissemination allows or refuses one by one (152-ФЗ ст. 10.1 ч. 1;
# Приказ Роскомнадзора от 24.02.2021 № 18, п. 5): code → the words of the signed form.
DISSEMINATION_CATEGORIES = {
    "name": "фамилия, имя, отчество",
    "position": "должность",
    "photo": "фотографическое изображение (фото)",
    "participation": "сведения об участии в программе наставничества и её результатах",
}


class ConsentQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(given_on__lte=on).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
        )

    def disseminating(self, *categories: str, on: date | None = None):
        """Current consents to dissemination that allow every one of ``categories``."""
        allowed = {f"allows_{category}": True for category in categories}
        return self.active(on).filter(kind=Consent.Kind.DISSEMINATION, **allowed)


class Consent(models.Model):
    """A consent: 152-ФЗ ст. 9 (processing), ст. 10.1 (dissemination), ТК РФ ст. 351.8."""

    class Kind(models.TextChoices):
        PROCESSING = "processing", "на обработку персональных данных (152-ФЗ, ст. 9)"
        DISSEMINATION = "dissemination", "на распространение персональных данных (152-ФЗ, ст. 10.1)"
        MENTORING = "mentoring", "на осуществление наставничества (ТК РФ, ст. 351.8)"

    class Method(models.TextChoices):
        PAPER = "paper", "на бумаге, с подписью"
        ONLINE = "online", "в анкете, в личном кабинете"

    person = models.ForeignKey(
        Person, verbose_name="участник", on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField("согласие", max_length=20, choices=Kind)
    method = models.CharField("как получено", max_length=10, choices=Method, default=Method.PAPER)
    given_on = models.DateField("дата согласия")
    withdrawn_on = models.DateField("дата отзыва", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем внесён отзыв",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scan = models.FileField("скан подписанного согласия", upload_to=consent_upload_to, blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)
    # ст. 10.1: each category allowed («разрешаю») or refused («не разрешаю»), the conditions
    # and bans the person set (ч. 9), and the address of the resource that publishes them.
    # False on the other kinds of consent.
    allows_name = models.BooleanField(DISSEMINATION_CATEGORIES["name"], default=False)
    allows_position = models.BooleanField(DISSEMINATION_CATEGORIES["position"], default=False)
    allows_photo = models.BooleanField(DISSEMINATION_CATEGORIES["photo"], default=False)
    allows_participation = models.BooleanField(
        DISSEMINATION_CATEGORIES["participation"], default=False
    )
    conditions = models.TextField(
        "условия и запреты",
        blank=True,
        help_text="Запреты на передачу и условия обработки неограниченным кругом лиц "
        "(152-ФЗ, ст. 10.1 ч. 9), как их написал человек; пусто — без условий.",
    )
    resource_url = models.URLField(
        "адрес сайта, где публикуются сведения",
        max_length=300,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем внесено",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("внесено", auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "согласие"
        verbose_name_plural = "согласия"
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message="Дата отзыва не может быть раньше даты согласия.",
            ),
            # At most one consent of a kind is in force for a person at a time.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(withdrawn_on__isnull=True),
                name="consent_one_active_per_kind",
                violation_error_message="Согласие этого вида уже действует.",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.given_on <= today and (self.withdrawn_on is None or self.withdrawn_on > today)

    @property
    def categories(self) -> list[tuple[str, bool]]:
        """(the category's words, allowed) of a consent to dissemination, in the form's order."""
        return [
            (label, getattr(self, f"allows_{code}"))
            for code, label in DISSEMINATION_CATEGORIES.items()
        ]


class SelfQuestionnaire(models.Model):
    """A questionnaire a teacher fills in herself: the mentee request form (Приложение 2,
    этап 2.1) or the questionnaire of a potential mentor (этап 3.1). The curator reviews it
    and accepts it into the bank."""

    class Kind(models.TextChoices):
        MENTEE_REQUEST = "mentee_request", "Анкета-запрос наставляемого"
        MENTOR = "mentor", "Анкета потенциального наставника"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "ждёт рассмотрения"
        ACCEPTED = "accepted", "принята в банк"
        REJECTED = "rejected", "отклонена"

    person = models.ForeignKey(
        Person, verbose_name="участник", on_delete=models.CASCADE, related_name="questionnaires"
    )
    kind = models.CharField("анкета", max_length=20, choices=Kind)
    answers = models.JSONField("ответы", default=dict)
    status = models.CharField(
        "статус", max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField("отправлена", default=timezone.now)
    reviewed_at = models.DateTimeField("рассмотрена", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем рассмотрена",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField("комментарий куратора", blank=True)

    class Meta:
        verbose_name = "анкета участника"
        verbose_name_plural = "анкеты участников"
        ordering = ["-submitted_at"]
        constraints = [
            # A teacher has at most one questionnaire of each kind waiting for the curator.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status="submitted"),
                name="questionnaire_one_pending_per_kind",
                violation_error_message="Анкета этого вида уже ждёт рассмотрения.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person}"

    @property
    def is_submitted(self) -> bool:
        """Waits for the curator's review."""
        return self.status == self.Status.SUBMITTED

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED


class StaffImport(models.Model):
    """An uploaded staff list waiting for the curator's confirmation.

    The parsed rows and their errors are kept here between the preview and the
    confirmation, so nothing is written to the bank until the curator confirms. Once the list
    is loaded or cancelled they are deleted, and only the counts, the file's name, who and when
    stay; a preview left for a day is deleted whole (``staff_imports_purge``; 152-ФЗ ст. 5 ч. 7)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "проверка"
        CONFIRMED = "confirmed", "загружен"
        DISCARDED = "discarded", "отменён"

    institution = models.ForeignKey(
        Organization, verbose_name="учреждение", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто загрузил",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)
    filename = models.CharField("файл", max_length=255)
    rows = models.JSONField("строки", default=list, blank=True)
    # The file as read, so the curator may take another sheet or change what a column is taken
    # as and check the rows again: [{"name": sheet, "lines": [[line number, [cells]]]}].
    # Emptied once the list is loaded or cancelled, as are the rows and the columns.
    sheets = models.JSONField("листы файла", default=list, blank=True)
    sheet_index = models.PositiveSmallIntegerField("лист", default=0)
    header_line = models.PositiveIntegerField("строка заголовков", null=True, blank=True)
    # [{"letter": "B", "header": "Ф.И.О.", "key": "full_name"}]: what each column is taken as.
    columns = models.JSONField("столбцы", default=list, blank=True)
    status = models.CharField("статус", max_length=20, choices=Status, default=Status.PREVIEW)
    # What the check found ({"total", "to_create", "errors", "duplicates"}), kept when the
    # list is loaded or cancelled: the rows, sheets and columns are deleted then (issue 17).
    counts = models.JSONField("итоги проверки", default=dict, blank=True)
    created_count = models.PositiveIntegerField("создано записей", default=0)
    confirmed_at = models.DateTimeField("подтверждён", null=True, blank=True)

    class Meta:
        verbose_name = "импорт списка сотрудников"
        verbose_name_plural = "импорты списков сотрудников"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename

    @property
    def is_preview(self) -> bool:
        """Checked, waiting for the curator's confirmation."""
        return self.status == self.Status.PREVIEW

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_discarded(self) -> bool:
        return self.status == self.Status.DISCARDED

    @property
    def sheet_name(self) -> str:
        if 0 <= self.sheet_index < len(self.sheets):
            return self.sheets[self.sheet_index]["name"]
        return ""


class StaffImportColumnChoice(models.Model):
    """What a curator took a column of a staff list as, by its header: the next list of the
    institution with the same header is read the same way. An empty field: «не используется»."""

    institution = models.ForeignKey(
        Organization, verbose_name="учреждение", on_delete=models.CASCADE, related_name="+"
    )
    header = models.CharField("заголовок столбца (слова)", max_length=200)
    field = models.CharField("что это", max_length=40, blank=True)
    chosen_at = models.DateTimeField("выбрано", default=timezone.now)

    class Meta:
        verbose_name = "выбор столбца при загрузке списка"
        verbose_name_plural = "выбор столбцов при загрузке списков"
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "header"],
                name="staff_import_column_choice_one_per_header",
                violation_error_message="Для этого заголовка выбор уже запомнен.",
            )
        ]

    def __str__(self):
        return f"{self.header} → {self.field or 'не используется'}"
