"""Template tags of the lifecycle partial: who has agreed to a pending term change."""

from dataclasses import dataclass

from django import template

from programs.models import TermChange
from programs.services.lifecycle import Agreement, term_change_progress

register = template.Library()


@dataclass(frozen=True)
class TermAnswers:
    agreements: list[Agreement]
    must_agree: bool  # the user is a member who has not agreed yet
    can_decline: bool  # the user is a member: the mentor or a mentee
    without_login: list  # members who still must agree and have no login: paper (issue 16)
    curator_agreed: bool  # п. 7.2: the curator proposes the change with the mentor


@register.simple_tag
def term_progress(term, user) -> TermAnswers:
    """{% term_progress term request.user as progress %}"""
    progress = term_change_progress(term)
    return TermAnswers(
        agreements=progress.agreements,
        must_agree=progress.must_agree(user),
        can_decline=any(a.member.person.user_id == user.pk for a in progress.agreements),
        without_login=[m for m in progress.waiting if m.person.user_id is None],
        curator_agreed=progress.curator_agreed,
    )


@register.simple_tag
def pending_term(term_changes):
    """{% pending_term term_changes as pending %} — the change waiting for agreement, if any."""
    return next((t for t in term_changes if t.status == TermChange.Status.PENDING), None)


@register.simple_tag
def ordered_term(term_changes):
    """{% ordered_term term_changes as ordered %} — the change agreed by everyone that waits
    for the head's order (п. 7.2), if any."""
    return next((t for t in term_changes if t.status == TermChange.Status.ORDERED), None)


@register.simple_tag
def past_terms(term_changes) -> list:
    """{% past_terms term_changes as past %} — the changes already applied or declined."""
    return [t for t in term_changes if t.status not in TermChange.OPEN_STATUSES]
