from django.urls import path

from programs.views import calendar, drafting, execution, lifecycle

app_name = "programs"

urlpatterns = [
    # The curator's overview and a program's page
    path("", drafting.program_list, name="program-list"),
    path("export.xlsx", drafting.program_export, name="program-export"),
    path("new/<int:group_pk>/", drafting.program_create, name="program-create"),
    path("<int:pk>/", drafting.program_detail, name="program-detail"),
    path("<int:pk>/edit/", drafting.program_update, name="program-update"),
    path("<int:pk>/pdf/", drafting.program_pdf, name="program-pdf"),
    # The plan of events while drafting (and changes after approval)
    path("<int:pk>/events/new/", drafting.event_create, name="event-create"),
    path("<int:pk>/events/library/", drafting.event_library, name="event-library"),
    path("events/<int:pk>/edit/", drafting.event_update, name="event-update"),
    path("events/<int:pk>/delete/", drafting.event_delete, name="event-delete"),
    path("<int:pk>/comments/", drafting.comment_create, name="comment-create"),
    path("<int:pk>/submit/", drafting.program_submit, name="program-submit"),
    path("<int:pk>/approve/", drafting.program_approve, name="program-approve"),
    path("<int:pk>/return/", drafting.program_return, name="program-return"),
    # The library of typical events (curator)
    path("library/", drafting.library_list, name="library-list"),
    path("library/new/", drafting.library_create, name="library-create"),
    path("library/<int:pk>/edit/", drafting.library_update, name="library-update"),
    # Execution: events, evidence, the mentee's tasks
    path("events/<int:pk>/progress/", execution.event_progress, name="event-progress"),
    path("events/<int:pk>/evidence/", execution.evidence_upload, name="evidence-upload"),
    path("evidence/<int:pk>/", execution.evidence_download, name="evidence-download"),
    path("events/<int:pk>/report/", execution.event_report, name="event-report"),
    path("events/<int:pk>/confirm/", execution.event_confirm, name="event-confirm"),
    path("overdue/", execution.overdue_list, name="overdue-list"),
    path("overdue/export.xlsx", execution.overdue_export, name="overdue-export"),
    # Meetings and calendars
    path("<int:pk>/meetings/new/", calendar.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/edit/", calendar.meeting_update, name="meeting-update"),
    path("calendar.ics", calendar.my_calendar, name="my-calendar"),
    path("calendar/feed/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
    path("calendar/reset/", calendar.calendar_reset, name="calendar-reset"),
    # Term changes and completion (п. 7.1, п. 7.2)
    path("<int:pk>/term/", lifecycle.term_change_create, name="term-change-create"),
    path("term/<int:pk>/agree/", lifecycle.term_change_agree, name="term-change-agree"),
    path(
        "term/<int:pk>/curator-agree/",
        lifecycle.term_change_curator_agree,
        name="term-change-curator-agree",
    ),
    path("term/<int:pk>/decline/", lifecycle.term_change_decline, name="term-change-decline"),
    # п. 7.2: withdrawn by the curator (or the mentor who proposed it) until the order is signed
    path("term/<int:pk>/withdraw/", lifecycle.term_change_withdraw, name="term-change-withdraw"),
    # An agreement signed on paper by a participant without a login (issue 16, part 3)
    path("term/<int:pk>/paper/", lifecycle.term_change_paper, name="term-change-paper"),
    path(
        "term/<int:pk>/paper-form/", lifecycle.term_change_paper_form, name="term-change-paper-form"
    ),
    # The acquaintance with the approved program signed on paper (issue 16, part 3)
    path(
        "<int:pk>/paper-acquaintance/",
        lifecycle.program_paper_acquaintance,
        name="program-paper-acquaintance",
    ),
    path(
        "<int:pk>/paper-acquaintance-form/",
        lifecycle.program_paper_acquaintance_form,
        name="program-paper-acquaintance-form",
    ),
    path("<int:pk>/complete/", lifecycle.program_complete, name="program-complete"),
]
