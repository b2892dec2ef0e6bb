"""E-mail notifications through Django's mail framework (console backend by default).

Sent after the transaction that caused them commits, so a failed transition never mails
anyone; a mail failure is logged and never undoes the transition.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from thidua.accounts.models import Membership, Role

logger = logging.getLogger(__name__)


def unit_recipients(unit) -> list[str]:
    """The unit's own address and its editors' and head's addresses."""
    emails = {unit.email} if unit.email else set()
    emails |= set(
        Membership.objects.filter(unit=unit, role__in=(Role.UNIT_EDITOR, Role.UNIT_HEAD))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(emails)


def reviewer_recipients(unit) -> list[str]:
    """Provincial reviewers, and the district reviewers of a commune's district."""
    scope = Q(role=Role.PROVINCIAL_REVIEWER)
    if unit.parent_id:
        scope |= Q(role=Role.DISTRICT_REVIEWER, unit_id=unit.parent_id)
    return sorted(
        set(
            Membership.objects.filter(scope, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def send_later(recipients: list[str], subject: str, body: str) -> None:
    """Send after commit; log (never raise) a delivery failure."""
    if not recipients:
        return

    def deliver():
        try:
            send_mail(
                f"[Thi đua CĐS] {subject}",
                body,
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
        except Exception:
            logger.exception("could not send %r to %s", subject, recipients)

    transaction.on_commit(deliver)
