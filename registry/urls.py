from django.urls import path

from registry.views import (
    accounts,
    agreements,
    consents,
    contacts,
    council,
    groups,
    imports,
    letters,
    matching,
    notifications,
    orders,
    paper,
    people,
    personal_data,
    petitions,
    questionnaires,
    references,
    subject_requests,
    users,
)

app_name = "registry"

urlpatterns = [
    # The banks (п. 3.3; Приложение 2, этапы 2–3)
    path("people/", people.person_list, name="person-list"),
    path("mentors/", people.mentor_list, name="mentor-list"),
    path("mentees/", people.mentee_list, name="mentee-list"),
    path("people/search/", people.search, name="search"),
    path("people/new/", people.person_create, name="person-create"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", people.person_update, name="person-update"),
    path("people/<int:pk>/review/", people.person_review, name="person-review"),
    path("people/<int:pk>/mentee/", people.mentee_profile_edit, name="mentee-profile"),
    path("people/<int:pk>/mentor/", people.mentor_profile_edit, name="mentor-profile"),
    path("me/", people.my_data, name="my-data"),
    # One's own phone and e-mail (issue 16): the new e-mail waits for the link sent to it
    path("me/contacts/", contacts.my_contacts, name="my-contacts"),
    path("me/email/<str:token>/", contacts.my_email_confirm, name="my-email-confirm"),
    path(
        "me/email/<str:token>/confirm/",
        contacts.my_email_confirm_post,
        name="my-email-confirm-post",
    ),
    # The person's rights (152-ФЗ ст. 14, ст. 21) and the operator's policy (ст. 18.1)
    path("me/personal-data/", personal_data.my_personal_data, name="my-personal-data"),
    path("people/<int:pk>/personal-data/", personal_data.person_data, name="person-data"),
    path(
        "people/<int:pk>/personal-data.pdf", personal_data.person_data_pdf, name="person-data-pdf"
    ),
    path(
        "people/<int:pk>/personal-data.json",
        personal_data.person_data_json,
        name="person-data-json",
    ),
    path("people/<int:pk>/anonymize/", personal_data.person_anonymize, name="person-anonymize"),
    path("personal-data/acts/", personal_data.destruction_act_list, name="destruction-act-list"),
    path(
        "personal-data/acts/<int:pk>.pdf",
        personal_data.destruction_act_pdf,
        name="destruction-act-pdf",
    ),
    path("personal-data/policy/", personal_data.policy, name="personal-data-policy"),
    # The register of data subjects' written requests (ст. 14, 20, 21)
    path(
        "personal-data/requests/",
        subject_requests.subject_request_list,
        name="subject-request-list",
    ),
    path(
        "personal-data/requests/new/",
        subject_requests.subject_request_create,
        name="subject-request-create",
    ),
    path(
        "personal-data/requests/<int:pk>/",
        subject_requests.subject_request_detail,
        name="subject-request-detail",
    ),
    path(
        "personal-data/requests/<int:pk>/extend/",
        subject_requests.subject_request_extend,
        name="subject-request-extend",
    ),
    path(
        "personal-data/requests/<int:pk>/answer/",
        subject_requests.subject_request_answer,
        name="subject-request-answer",
    ),
    # The outbox: letters that failed, for the sysadmin (issue 20)
    path("letters/", letters.letter_list, name="letter-list"),
    path("letters/<int:pk>/resend/", letters.letter_resend, name="letter-resend"),
    path("letters/resend-failed/", letters.letters_resend_failed, name="letters-resend-failed"),
    # Exports of each bank to XLSX
    path("export/<slug:bank>.xlsx", imports.bank_export, name="bank-export"),
    # Import of a staff list (preview, then all rows or none)
    path("import/", imports.import_upload, name="import-upload"),
    path("import/template.xlsx", imports.import_template, name="import-template"),
    path("import/<int:pk>/", imports.import_preview, name="import-preview"),
    path("import/<int:pk>/columns/", imports.import_remap, name="import-remap"),
    path("import/<int:pk>/confirm/", imports.import_confirm, name="import-confirm"),
    path("import/<int:pk>/discard/", imports.import_discard, name="import-discard"),
    # Consents (152-ФЗ ст. 9, ст. 10.1; ТК РФ ст. 351.8)
    path("people/<int:pk>/consents/new/", consents.consent_create, name="consent-create"),
    path(
        "people/<int:pk>/consents/form/<slug:kind>.pdf",
        consents.consent_form_pdf,
        name="consent-form-pdf",
    ),
    path("consents/<int:pk>/withdraw/", consents.consent_withdraw, name="consent-withdraw"),
    path("consents/<int:pk>/scan/", consents.consent_scan, name="consent-scan"),
    path(
        "consents/<int:pk>/scan/upload/", consents.consent_scan_upload, name="consent-scan-upload"
    ),
    # Questionnaires teachers fill in themselves (этап 2.1, этап 3.1)
    path("my/questionnaire/<slug:kind>/", questionnaires.fill, name="questionnaire-fill"),
    path("questionnaires/", questionnaires.review_list, name="questionnaire-list"),
    path("questionnaires/<int:pk>/", questionnaires.review_detail, name="questionnaire-detail"),
    path("questionnaires/<int:pk>/accept/", questionnaires.accept, name="questionnaire-accept"),
    path("questionnaires/<int:pk>/reject/", questionnaires.reject, name="questionnaire-reject"),
    # Users, roles and the institution's settings
    path("users/", users.user_list, name="user-list"),
    path("users/export.xlsx", users.user_export, name="user-export"),
    # Logins for the whole staff at once, with invitation codes (issue 16)
    path("users/without-login/", users.login_people, name="login-people"),
    path("users/search/", users.user_search, name="user-search"),
    path("users/logins/create/", users.logins_create, name="logins-create"),
    path("users/codes/reissue/", users.codes_reissue, name="codes-reissue"),
    path("users/issued/", users.logins_issued, name="logins-issued"),
    path("users/issued/invitations.pdf", users.logins_issued_pdf, name="logins-issued-pdf"),
    path("users/new/<int:person_pk>/", accounts.user_create, name="user-create"),
    path("users/<int:pk>/roles/", accounts.user_roles, name="user-roles"),
    path("users/<int:pk>/deactivate/", accounts.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/activate/", accounts.user_activate, name="user-activate"),
    path("users/<int:pk>/invite/", accounts.user_invite, name="user-invite"),
    # The head by the founder's order; roles resting on no order (п. 3.2–3.4)
    path("users/<int:pk>/head/", accounts.user_head, name="user-head"),
    path("users/<int:pk>/head/relieve/", accounts.user_head_relieve, name="user-head-relieve"),
    path("users/roles-without-order/", accounts.unbacked_roles, name="unbacked-roles"),
    path(
        "users/roles-without-order/<int:pk>/draft/",
        accounts.unbacked_role_draft,
        name="unbacked-role-draft",
    ),
    path(
        "users/roles-without-order/<int:pk>/remove/",
        accounts.unbacked_role_remove,
        name="unbacked-role-remove",
    ),
    path("institution/settings/", accounts.institution_settings, name="institution-settings"),
    path("partners/", accounts.partner_list, name="partner-list"),
    path("partners/new/", accounts.partner_create, name="partner-create"),
    path("partners/<int:pk>/edit/", accounts.partner_update, name="partner-update"),
    # Matching mentors to a mentee (п. 6.1)
    path("matching/<int:pk>/", matching.matching, name="matching"),
    # Pairs and groups (п. 6.2): propose → confirm → submit → approve by order or return
    path("groups/", groups.group_list, name="group-list"),
    path("groups/export.xlsx", groups.group_export, name="group-export"),
    path("groups/new/", groups.group_create, name="group-create"),
    path("groups/<int:pk>/", groups.group_detail, name="group-detail"),
    path("groups/<int:pk>/confirm/", groups.group_confirm, name="group-confirm"),
    path("groups/<int:pk>/decline/", groups.group_decline, name="group-decline"),
    path("groups/<int:pk>/submit/", groups.group_submit, name="group-submit"),
    path("groups/<int:pk>/correct/", groups.group_correct, name="group-correct"),
    path("groups/<int:pk>/approve/", groups.group_approve, name="group-approve"),
    path("groups/<int:pk>/return/", groups.group_return, name="group-return"),
    # Answers given on paper by participants without a login (issue 16, part 3)
    path(
        "groups/<int:pk>/paper-response/",
        paper.group_paper_response,
        name="group-paper-response",
    ),
    path(
        "groups/members/<int:pk>/paper-form/",
        paper.group_paper_form_pdf,
        name="group-paper-form",
    ),
    path("paper-decisions/<int:pk>/scan/", paper.paper_decision_scan, name="paper-decision-scan"),
    path(
        "groups/<int:pk>/replace-mentor/",
        groups.group_replace_mentor,
        name="group-replace-mentor",
    ),
    # The mentor's supplementary agreement (ТК РФ ст. 351.8)
    path(
        "groups/members/<int:pk>/agreement/",
        agreements.agreement_create,
        name="group-member-agreement",
    ),
    path("agreements/", agreements.agreement_list, name="agreement-list"),
    path("agreements/export.xlsx", agreements.agreement_export, name="agreement-export"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/edit/", agreements.agreement_update, name="agreement-update"),
    path("agreements/<int:pk>/sign/", agreements.agreement_sign, name="agreement-sign"),
    path("agreements/<int:pk>/end/", agreements.agreement_end, name="agreement-end"),
    path("agreements/<int:pk>/document/", agreements.agreement_document, name="agreement-document"),
    path(
        "agreement-amendments/<int:pk>/document/",
        agreements.amendment_document,
        name="agreement-amendment-document",
    ),
    # Petitions (п. 4.1, п. 5.1)
    path("groups/<int:pk>/petitions/new/", petitions.petition_create, name="petition-create"),
    path("petitions/<int:pk>/approve/", petitions.petition_approve, name="petition-approve"),
    path("petitions/<int:pk>/reject/", petitions.petition_reject, name="petition-reject"),
    path("petitions/<int:pk>/mediation/", petitions.petition_mediation, name="petition-mediation"),
    # Orders of the head (п. 3.1, п. 3.2)
    path("orders/", orders.order_list, name="order-list"),
    path("orders/export.xlsx", orders.order_export, name="order-export"),
    path("orders/new/", orders.order_create, name="order-create"),
    path("orders/<int:pk>/", orders.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", orders.order_update, name="order-update"),
    path("orders/<int:pk>/sign/", orders.order_sign, name="order-sign"),
    path("orders/<int:pk>/pdf/", orders.order_pdf, name="order-pdf"),
    path(
        "orders/<int:pk>/paper-acquaintance/",
        paper.order_paper_acquaintance,
        name="order-paper-acquaintance",
    ),
    # The methodical council (п. 3.4): its composition by order, its meetings and minutes
    path("council/", council.council_composition, name="council-composition"),
    path("council/meetings/", council.meeting_list, name="council-meeting-list"),
    path("council/meetings/new/", council.meeting_create, name="council-meeting-create"),
    path("council/meetings/<int:pk>/", council.meeting_detail, name="council-meeting-detail"),
    path("council/meetings/<int:pk>/edit/", council.meeting_update, name="council-meeting-update"),
    path("council/meetings/<int:pk>/pdf/", council.meeting_pdf, name="council-meeting-pdf"),
    # Notifications
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/read/", notifications.notification_read_all, name="notification-read-all"),
    # Reference lists (sysadmin)
    path("references/", references.index, name="reference-index"),
    path("references/<slug:kind>/", references.item_list, name="reference-list"),
    path("references/<slug:kind>/new/", references.item_create, name="reference-create"),
    path("references/<slug:kind>/<int:pk>/edit/", references.item_update, name="reference-update"),
]
