"""What waits for each role on its home page (UX.md «Home page per role»).

Each builder returns the context of ``templates/home/<role>.html``: counters that link to
the lists behind them. The later issues (groups, programs, roadmap) add their counters here.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_label, academic_year_start
from mentoring_site.lib.counters import Counter
from programs.models import Meeting, Program, ProgramComment, ProgramEvent, TermChange
from registry.models import (
    Consent,
    GroupMember,
    Letter,
    MenteeProfile,
    MentoringGroup,
    MentorProfile,
    NewsItem,
    Order,
    Person,
    Petition,
    PublicSection,
    RoleAssignment,
    SelfQuestionnaire,
)
from registry.services import council as council_services
from registry.services import personal_data, subject_requests
from registry.services.council import awaiting_decisions
from reports import homes_growth, indicators
from reports.homes import own_invitations
from reports.homes_dashboard import head_indicators
from roadmap import homes as roadmap_homes

# The pairs list filtered to the groups with a petition waiting for a decision.
PETITIONS = "?petition=submitted"


def waiting_for_action(counters: list[Counter]) -> list[Counter]:
    """The counters that wait for the user's action (not zero, marked for attention), most
    urgent first: the to-do list a home leads with (issue 16, part 5)."""
    waiting = [c for c in counters if c.value and c.attention]
    return sorted(waiting, key=lambda c: -c.urgency)


def _bank_counts(institution):
    today = timezone.localdate()
    year_start = academic_year_start(today)
    people = Person.objects.filter(institution=institution)
    return people.aggregate(
        total=Count("pk"),
        mentors=Count("pk", filter=Q(mentor_profile__isnull=False)),
        mentees=Count("pk", filter=Q(mentee_profile__isnull=False)),
        without_pair=Count(
            "pk",
            filter=Q(
                mentee_profile__status__in=[
                    MenteeProfile.Status.IN_BANK,
                    MenteeProfile.Status.WITHOUT_PAIR,
                ]
            ),
        ),
        not_reviewed=Count(
            "pk", filter=Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=year_start)
        ),
    )


def _consent_problems(institution) -> int:
    """Bank members without an active processing consent (withdrawn or never recorded)."""
    return (
        Person.objects.filter(institution=institution)
        .filter(Q(mentor_profile__isnull=False) | Q(mentee_profile__isnull=False))
        .with_processing_consent()
        .filter(has_processing_consent=False)
        .count()
    )


def _waiting_questionnaires(institution) -> int:
    return SelfQuestionnaire.objects.filter(
        person__institution=institution, status=SelfQuestionnaire.Status.SUBMITTED
    ).count()


def _group_counts(institution):
    Status = MentoringGroup.Status
    counts = MentoringGroup.objects.filter(institution=institution).aggregate(
        proposed=Count("pk", filter=Q(status=Status.PROPOSED)),
        to_submit=Count("pk", filter=Q(status__in=[Status.CONFIRMED, Status.RETURNED])),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
    )
    counts["petitions"] = Petition.objects.filter(
        group__institution=institution, status=Petition.Status.SUBMITTED
    ).count()
    # Proposals a participant without a login answers on paper (issue 16): the curator records.
    counts["on_paper"] = (
        MentoringGroup.objects.filter(
            institution=institution,
            status=Status.PROPOSED,
            members__left_on__isnull=True,
            members__response=GroupMember.Response.PENDING,
            members__person__user__isnull=True,
        )
        .distinct()
        .count()
    )
    return counts


def _group_counters(institution, counts, *, for_head=False):
    groups = reverse("registry:group-list")
    if for_head:
        return [
            Counter(
                (
                    "пара или группа ждёт утверждения",
                    "пары и группы ждут утверждения",
                    "пар и групп ждут утверждения",
                ),
                counts["submitted"],
                f"{groups}?status=submitted",
                attention=counts["submitted"] > 0,
            ),
            Counter(
                (
                    "проект приказа ждёт подписи",
                    "проекта приказов ждут подписи",
                    "проектов приказов ждут подписи",
                ),
                Order.objects.filter(institution=institution, status=Order.Status.DRAFT).count(),
                f"{reverse('registry:order-list')}?status=draft",
            ),
            Counter(
                ("ходатайство ждёт решения", "ходатайства ждут решения", "ходатайств ждут решения"),
                counts["petitions"],
                f"{groups}{PETITIONS}",
                attention=counts["petitions"] > 0,
            ),
        ]
    return [
        Counter(
            (
                "пара ждёт решения на бумаге (участник без входа в систему)",
                "пары ждут решения на бумаге (участник без входа в систему)",
                "пар ждут решения на бумаге (участник без входа в систему)",
            ),
            counts["on_paper"],
            f"{groups}?status=proposed",
            attention=counts["on_paper"] > 0,
            action="Внести решение на бумаге",
            urgency=80,
        ),
        Counter(
            (
                "пара ждёт согласия участников",
                "пары ждут согласия участников",
                "пар ждут согласия участников",
            ),
            counts["proposed"],
            f"{groups}?status=proposed",
        ),
        Counter(
            (
                "пару можно направить заведующему",
                "пары можно направить заведующему",
                "пар можно направить заведующему",
            ),
            counts["to_submit"],
            f"{groups}?status=confirmed",
            attention=counts["to_submit"] > 0,
            action="Направить на утверждение",
            urgency=70,
        ),
        Counter(
            ("пара: участник отказался", "пары: участник отказался", "пар: участник отказался"),
            counts["declined"],
            f"{groups}?status=declined",
            attention=counts["declined"] > 0,
            action="Подобрать другую пару",
            urgency=75,
        ),
        Counter(
            (
                "пара на утверждении у заведующего",
                "пары на утверждении у заведующего",
                "пар на утверждении у заведующего",
            ),
            counts["submitted"],
            f"{groups}?status=submitted",
        ),
        Counter(
            ("ходатайство ждёт решения", "ходатайства ждут решения", "ходатайств ждут решения"),
            counts["petitions"],
            f"{groups}{PETITIONS}",
            attention=counts["petitions"] > 0,
            action="Рассмотреть ходатайства",
            urgency=90,
        ),
    ]


def _program_counters(institution):
    programs = Program.objects.filter(group__institution=institution)
    counts = programs.aggregate(
        on_review=Count("pk", filter=Q(status=Program.Status.ON_REVIEW)),
        active=Count("pk", filter=Q(status=Program.Status.ACTIVE)),
    )
    overdue = ProgramEvent.objects.filter(
        program__group__institution=institution,
        program__status=Program.Status.ACTIVE,
        status__in=[
            ProgramEvent.Status.PLANNED,
            ProgramEvent.Status.IN_PROGRESS,
            ProgramEvent.Status.OVERDUE,
        ],
        deadline__lt=timezone.localdate(),
    ).count()
    overview = reverse("programs:program-list")
    on_paper = _terms_on_paper(institution)
    return [
        Counter(
            (
                "изменение срока ждёт согласия на бумаге",
                "изменения срока ждут согласия на бумаге",
                "изменений срока ждут согласия на бумаге",
            ),
            on_paper,
            f"{overview}?status=active",
            attention=on_paper > 0,
            action="Внести согласие на бумаге",
            urgency=65,
        ),
        Counter(
            (
                "программа ждёт утверждения",
                "программы ждут утверждения",
                "программ ждут утверждения",
            ),
            counts["on_review"],
            f"{overview}?status=on_review",
            attention=counts["on_review"] > 0,
            action="Рассмотреть программы",
            urgency=60,
        ),
        Counter(
            ("программа выполняется", "программы выполняются", "программ выполняются"),
            counts["active"],
            f"{overview}?status=active",
        ),
        Counter(
            ("просроченное мероприятие", "просроченных мероприятия", "просроченных мероприятий"),
            overdue,
            reverse("programs:overdue-list"),
            attention=overdue > 0,
            action="Разобрать просроченные",
            urgency=85,
        ),
    ]


def _terms_on_paper(institution) -> int:
    """Term changes (п. 7.2) that wait for the agreement of someone without a login: the
    curator records it from the signed form. A fixed number of queries."""
    terms = (
        TermChange.objects.filter(
            status=TermChange.Status.PENDING, program__group__institution=institution
        )
        .select_related("program__group")
        .prefetch_related(
            "agreements",
            Prefetch(
                "program__group__members",
                queryset=GroupMember.objects.filter(left_on__isnull=True).select_related("person"),
            ),
        )
    )
    count = 0
    for term in terms:
        agreed = {a.person_id for a in term.agreements.all()}
        for member in term.program.group.members.all():
            mentor_done = member.is_mentor and term.mentor_agreed_at is not None
            if member.person.user_id is None and member.person_id not in agreed and not mentor_done:
                count += 1
                break
    return count


def _council_counters(institution):
    """Council meetings whose date has passed without the decisions written down (п. 3.4)."""

    waiting = awaiting_decisions(institution).count()
    return [
        Counter(
            (
                "заседание совета без записанных решений",
                "заседания совета без записанных решений",
                "заседаний совета без записанных решений",
            ),
            waiting,
            reverse("registry:council-meeting-list"),
            attention=waiting > 0,
        )
    ]


def _own_programs(person):
    """The programs of the person's groups with their next open events and meetings."""
    programs = list(
        Program.objects.filter(group__members__person=person, group__members__left_on__isnull=True)
        .exclude(status__in=[Program.Status.COMPLETED, Program.Status.TERMINATED])
        .select_related("group")
        .prefetch_related("group__members__person")
        .annotate(
            events_total=Count("events", distinct=True),
            events_done=Count(
                "events", filter=Q(events__status=ProgramEvent.Status.DONE), distinct=True
            ),
        )
        .distinct()
    )
    next_events = list(
        ProgramEvent.objects.filter(
            program__in=programs,
            status__in=[
                ProgramEvent.Status.PLANNED,
                ProgramEvent.Status.IN_PROGRESS,
                ProgramEvent.Status.OVERDUE,
            ],
        )
        .select_related("program")
        .order_by("deadline")[:5]
    )
    meetings = list(
        Meeting.objects.filter(program__in=programs)
        .upcoming()
        .select_related("program")
        .order_by("starts_at")[:3]
    )
    return {"programs": programs, "next_events": next_events, "next_meetings": meetings}


def _curator_sections(institution, today) -> dict:
    """The curator's counters by section (the cached part of the curator's home)."""
    counts = _bank_counts(institution)
    waiting = _waiting_questionnaires(institution)
    without_consent = _consent_problems(institution)
    people = reverse("registry:person-list")
    mentees = reverse("registry:mentee-list")
    bank_counters = [
        Counter(
            tuple(
                f"{who} в {academic_year_label(timezone.localdate())} учебном году"
                for who in (
                    "участник не актуализирован",
                    "участника не актуализированы",
                    "участников не актуализированы",
                )
            ),
            counts["not_reviewed"],
            f"{people}?reviewed=no",
            attention=counts["not_reviewed"] > 0,
            action="Актуализировать",
            urgency=10,
        ),
        Counter(
            ("анкета ждёт рассмотрения", "анкеты ждут рассмотрения", "анкет ждут рассмотрения"),
            waiting,
            f"{reverse('registry:questionnaire-list')}?status=submitted",
            attention=waiting > 0,
            action="Рассмотреть анкеты",
            urgency=50,
        ),
        Counter(
            ("наставляемый без пары", "наставляемых без пары", "наставляемых без пары"),
            counts["without_pair"],
            f"{mentees}?status=without_pair",
        ),
        Counter(
            (
                "участник в банках без согласия на обработку персональных данных",
                "участника в банках без согласия на обработку персональных данных",
                "участников в банках без согласия на обработку персональных данных",
            ),
            without_consent,
            f"{people}?consent=no",
            attention=without_consent > 0,
            action="Внести согласия",
            urgency=95,
        ),
        # Issue 16: the first week — logins for the staff, and who has not signed in yet.
        Counter(
            (
                "сотрудник без учётной записи",
                "сотрудника без учётной записи",
                "сотрудников без учётной записи",
            ),
            Person.objects.filter(institution=institution)
            .without_login(timezone.localdate())
            .count(),
            reverse("registry:login-people"),
        ),
    ]
    group_counters = _group_counters(institution, _group_counts(institution))
    program_counters = _program_counters(institution)
    roadmap_counters = roadmap_homes.curator_counters(institution, today)
    monitoring_counters = homes_growth.curator_counters(institution) + _council_counters(
        institution
    )
    return {
        "counts": counts,
        "sections": [
            ("Банки", bank_counters),
            ("Пары и группы", group_counters),
            ("Программы", program_counters),
            ("Дорожная карта", roadmap_counters),
            ("Мониторинг и совет", monitoring_counters),
        ],
    }


def curator(request, roles):
    institution = roles.institution
    today = timezone.localdate()
    # Cached under the institution's token of the indicators (issue 21): every write of a row
    # the counters read forgets them (reports/indicators.py, INSTITUTION_PATHS).
    cached = indicators.cached_for_institution(
        institution_id=institution.pk,
        name=f"home:curator:{today}",
        build=lambda: _curator_sections(institution, today),
    )
    counts, sections = cached["counts"], cached["sections"]
    # 152-ФЗ ст. 14, 20, 21: the written requests of data subjects, answered in working days;
    # counted on every visit (a deadline passes with the day, not with a write the token sees).
    sections = [*sections, ("Персональные данные", subject_requests.home_counters(institution))]
    counters = [counter for _, section in sections for counter in section]
    withdrawn_recently = (
        Consent.objects.filter(
            person__institution=institution,
            withdrawn_on__gte=today - timedelta(days=30),
        )
        .select_related("person")
        .order_by("-withdrawn_on")[:10]
    )
    to_do = waiting_for_action(counters)
    return {
        "counters": counters,
        "to_do": to_do,
        "all_clear": [c for c in counters if not c.value],
        # The rest of the figures, by section: neither a task nor a zero.
        "sections": [
            (title, [c for c in section if c.value and c not in to_do])
            for title, section in sections
        ],
        "counts": counts,
        "withdrawn_recently": withdrawn_recently,
        "pending_anonymization": personal_data.awaiting_anonymization()
        .filter(institution=institution)
        .count(),
        "grace_days": personal_data.GRACE_DAYS,
    }


def head(request, roles):
    institution = roles.institution
    # The decisions waiting, cached as the curator's counters are (issue 21).
    decisions = indicators.cached_for_institution(
        institution_id=institution.pk,
        name=f"home:head:{timezone.localdate()}",
        build=lambda: (
            _group_counters(institution, _group_counts(institution), for_head=True)
            + roadmap_homes.head_decisions(institution)
        ),
    )
    return {
        # Written requests of data subjects (152-ФЗ ст. 14, 20, 21) are addressed to the head;
        # counted on every visit, as on the curator's home.
        "decisions": decisions
        + [c for c in subject_requests.home_counters(institution) if c.value],
        "waiting_groups": MentoringGroup.objects.filter(
            institution=roles.institution, status=MentoringGroup.Status.SUBMITTED
        )
        .select_related("form")
        .prefetch_related("members__person")[:10],
        # «The indicators of the year in one row» (UX.md), each linking to the list behind it.
        "counters": head_indicators(roles.institution, timezone.localdate()),
        "year_label": academic_year_label(timezone.localdate()),
        "curators": RoleAssignment.objects.filter(
            user__institution=roles.institution, role="curator", user__is_active=True
        ).select_related("user"),
    }


def council(request, roles):
    """The council's workspace (п. 3.4): proposals to discuss, programs to review, petitions
    to mediate, the next meeting with its agenda and the latest minutes."""

    institution = roles.institution
    today = timezone.localdate()
    on_review = Program.objects.filter(
        group__institution=institution, status=Program.Status.ON_REVIEW
    )
    # The figures, cached as the curator's are (issue 21).
    figures = indicators.cached_for_institution(
        institution_id=institution.pk,
        name=f"home:council:{today}",
        build=lambda: {
            "counts": _bank_counts(institution),
            "groups": _group_counts(institution),
            "on_review": on_review.count(),
            "questionnaires": _waiting_questionnaires(institution),
        },
    )
    counts, group_counts = figures["counts"], figures["groups"]
    on_review_count = figures["on_review"]
    members = Prefetch(
        "members",
        queryset=GroupMember.objects.select_related("person").order_by("role", "pk"),
    )
    upcoming = council_services.next_meeting(institution, today)
    awaiting = list(council_services.awaiting_decisions(institution, today)[:5])
    # The proposals, programs and petitions are read only when their cached counts (the same
    # filters) say there are some: most days a council's home has none (issue 21).
    return {
        "counters": [
            Counter(
                (
                    "пара на согласовании у участников",
                    "пары на согласовании у участников",
                    "пар на согласовании у участников",
                ),
                group_counts["proposed"],
                f"{reverse('registry:group-list')}?status=proposed",
            ),
            Counter(
                (
                    "ходатайство — возможна медиация",
                    "ходатайства — возможна медиация",
                    "ходатайств — возможна медиация",
                ),
                group_counts["petitions"],
                f"{reverse('registry:group-list')}{PETITIONS}",
                attention=group_counts["petitions"] > 0,
            ),
            Counter(
                (
                    "программа на рассмотрении",
                    "программы на рассмотрении",
                    "программ на рассмотрении",
                ),
                on_review_count,
                f"{reverse('programs:program-list')}?status=on_review",
                attention=on_review_count > 0,
            ),
            Counter(
                ("анкета ждёт рассмотрения", "анкеты ждут рассмотрения", "анкет ждут рассмотрения"),
                figures["questionnaires"],
                f"{reverse('registry:questionnaire-list')}?status=submitted",
            ),
            Counter(
                ("наставляемый без пары", "наставляемых без пары", "наставляемых без пары"),
                counts["without_pair"],
                f"{reverse('registry:mentee-list')}?status=without_pair",
            ),
            Counter(
                ("наставник в банке", "наставника в банке", "наставников в банке"),
                counts["mentors"],
                reverse("registry:mentor-list"),
            ),
        ],
        "proposals": list(
            MentoringGroup.objects.filter(
                institution=institution, status=MentoringGroup.Status.PROPOSED
            )
            .select_related("form")
            .prefetch_related(members)
            .order_by("-proposed_at")[:5]
        )
        if group_counts["proposed"]
        else [],
        "proposals_count": group_counts["proposed"],
        "programs_on_review": list(
            on_review.prefetch_related(
                Prefetch("group__members", queryset=members.queryset)
            ).order_by("pk")[:5]
        )
        if on_review_count
        else [],
        "programs_on_review_count": on_review_count,
        "petitions": list(
            Petition.objects.filter(
                group__institution=institution, status=Petition.Status.SUBMITTED
            )
            .select_related("author", "group")
            .prefetch_related(Prefetch("group__members", queryset=members.queryset))
            .order_by("created_at")[:5]
        )
        if group_counts["petitions"]
        else [],
        "petitions_count": group_counts["petitions"],
        "upcoming": upcoming,
        "upcoming_agenda": council_services.parse_items(upcoming.agenda) if upcoming else [],
        "awaiting": awaiting,
        "latest_minutes": council_services.latest_minutes(institution, today),
    }


def sysadmin(request, roles):
    institution = roles.institution
    users = institution.users.aggregate(
        total=Count("pk"), inactive=Count("pk", filter=Q(is_active=False))
    )
    without_account = (
        Person.objects.filter(institution=institution).without_login(timezone.localdate()).count()
    )
    return {
        # UX.md: the sysadmin keeps the public section's content with the curator.
        "public_section": PublicSection.objects.filter(institution=institution).first(),
        "public_news": NewsItem.objects.filter(
            institution=institution, status=NewsItem.Status.PUBLISHED
        ).count(),
        "counters": [
            Counter(
                ("учётная запись", "учётные записи", "учётных записей"),
                users["total"],
                reverse("registry:user-list"),
            ),
            Counter(
                (
                    "сотрудник без учётной записи",
                    "сотрудника без учётной записи",
                    "сотрудников без учётной записи",
                ),
                without_account,
                reverse("registry:login-people"),
            ),
            Counter(
                (
                    "отключённая учётная запись",
                    "отключённые учётные записи",
                    "отключённых учётных записей",
                ),
                users["inactive"],
                f"{reverse('registry:user-list')}?state=inactive",
            ),
            Counter(
                ("письмо не отправлено", "письма не отправлены", "писем не отправлено"),
                Letter.objects.filter(institution=institution, status=Letter.Status.FAILED).count(),
                f"{reverse('registry:letter-list')}?state=failed",
                attention=True,
            ),
        ],
    }


def _own_questionnaires(person):
    return list(person.questionnaires.order_by("-submitted_at")[:5])


def _own_groups(person):
    """The person's groups: requests waiting for an answer first."""
    memberships = (
        GroupMember.objects.filter(person=person, left_on__isnull=True)
        .exclude(
            group__status__in=[MentoringGroup.Status.COMPLETED, MentoringGroup.Status.TERMINATED]
        )
        .select_related("group__form")
        .prefetch_related("group__members__person")
        .order_by("-group__proposed_at")
    )
    return {
        "to_answer": [
            m
            for m in memberships
            if m.response == GroupMember.Response.PENDING
            and m.group.status == MentoringGroup.Status.PROPOSED
        ],
        "memberships": list(memberships),
    }


@dataclass(frozen=True)
class Step:
    """One thing waiting for a mentor or a mentee on their home, with its next step."""

    text: str
    url: str
    action: str
    remark: str = ""


def _own_steps(person) -> list[Step]:
    """What the state of the person's pairs and programs asks of them now (issue 16, part 5):
    the mentor of an approved pair without a program composes it; a program the curator
    returned is corrected; a term change waits for the person's agreement (п. 7.2); the newest
    comment of a program is someone else's and waits for an answer."""
    steps = []
    memberships = list(
        GroupMember.objects.filter(
            person=person, left_on__isnull=True, group__status=MentoringGroup.Status.ACTIVE
        )
        .select_related("group__program")
        .prefetch_related("group__members__person")
    )
    for m in memberships:
        program = getattr(m.group, "program", None)
        if m.is_mentor and program is None:
            steps.append(
                Step(
                    f"Пара «{m.group.title}» утверждена: составьте персонализированную программу.",
                    reverse("programs:program-create", args=[m.group.pk]),
                    "Составить программу",
                )
            )
        elif m.is_mentor and program.status == Program.Status.DRAFT and program.return_comment:
            steps.append(
                Step(
                    f"Куратор вернул программу «{m.group.title}» на доработку.",
                    reverse("programs:program-detail", args=[program.pk]),
                    "Исправить",
                    remark=program.return_comment,
                )
            )
    programs = [
        m.group.program
        for m in memberships
        if getattr(m.group, "program", None) is not None
        and m.group.program.status in (Program.Status.DRAFT, Program.Status.ACTIVE)
    ]
    pending_terms = TermChange.objects.filter(
        program__in=programs, status=TermChange.Status.PENDING
    ).exclude(agreements__person=person)
    for term in pending_terms.select_related("program"):
        mine = next(m for m in memberships if m.group_id == term.program.group_id)
        if mine.is_mentor and term.mentor_agreed_at is not None:
            continue
        steps.append(
            Step(
                f"Предложено изменить срок программы: до {term.new_end:%d.%m.%Y}. "
                "Нужно ваше согласие (п. 7.2).",
                reverse("programs:program-detail", args=[term.program_id]) + "#lifecycle",
                "Ответить",
                remark=term.reason,
            )
        )
    latest = {}
    for comment in ProgramComment.objects.filter(program__in=programs).order_by("created_at"):
        latest[comment.program_id] = comment
    for program in programs:
        comment = latest.get(program.pk)
        if comment is not None and comment.author_id != person.user_id:
            steps.append(
                Step(
                    f"Новый комментарий к программе «{program.group.title}».",
                    reverse("programs:program-detail", args=[program.pk]) + "#comments",
                    "Ответить",
                    remark=comment.text,
                )
            )
    return steps


def _finished_programs(person) -> list[Program]:
    """«Завершённые»: the person's completed or terminated programs, with their PDF."""
    return list(
        Program.objects.filter(
            group__members__person=person,
            status__in=[Program.Status.COMPLETED, Program.Status.TERMINATED],
        )
        .select_related("group")
        .prefetch_related("group__members__person")
        .distinct()
        .order_by("-finished_on", "-pk")
    )


def mentor(request, roles):
    profile = (
        MentorProfile.objects.filter(person=roles.person)
        .prefetch_related("competences__direction")
        .first()
    )
    return {
        "profile": profile,
        "questionnaires": _own_questionnaires(roles.person),
        "my_surveys": own_invitations(roles.person),
        "steps": _own_steps(roles.person),
        "finished_programs": _finished_programs(roles.person),
        **_own_groups(roles.person),
        **_own_programs(roles.person),
    }


def mentee(request, roles):
    profile = (
        MenteeProfile.objects.filter(person=roles.person)
        .select_related("category")
        .prefetch_related("difficulties__direction")
        .first()
    )
    return {
        "profile": profile,
        "questionnaires": _own_questionnaires(roles.person),
        "my_surveys": own_invitations(roles.person),
        "steps": _own_steps(roles.person),
        "finished_programs": _finished_programs(roles.person),
        **_own_groups(roles.person),
        **_own_programs(roles.person),
    }


def teacher(request, roles):
    return {
        "questionnaires": _own_questionnaires(roles.person),
        "my_surveys": own_invitations(roles.person),
    }


BUILDERS = {
    "curator": curator,
    "head": head,
    "council": council,
    "sysadmin": sysadmin,
    "mentor": mentor,
    "mentee": mentee,
    "teacher": teacher,
}
