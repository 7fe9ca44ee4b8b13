"""E-mails budgeting sends, through the task queue (``mobilise.core.tasks.send_email``).

Each is queued only once the transaction that caused it commits, so a refused or rolled-back update
never tells anyone anything. Links are absolute: ``base_url`` comes from the request that caused
the e-mail (``https://mobilise.example``), or is empty in tests and scripts, giving relative links.
"""

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from mobilise.core.tasks import send_email


def delivery_update_posted(update: Any, *, base_url: str) -> None:
    """One e-mail to each person following the project (never to the lead who posted it)."""
    from .models import DeliverySubscription
    from .services import money

    item = update.item
    project = item.project
    followers = (
        DeliverySubscription.objects.filter(item=item)
        .exclude(user_id=update.posted_by_id)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    subject = _("Update on %(title)s: %(status)s, %(progress)s%% done") % {
        "title": project.title,
        "status": update.get_status_display().lower(),
        "progress": update.progress,
    }
    page_url = base_url + reverse("budgeting:delivery", args=[item.pk])
    body = render_to_string(
        "budgeting/email/delivery_update.txt",
        {
            "update": update,
            "project": project,
            "round": project.round,
            "page_url": page_url,
            "follow_url": base_url + reverse("budgeting:delivery_follow", args=[item.pk]),
            "spent": money(update.spent, project.round.currency)
            if update.spent is not None
            else None,
        },
    )
    recipients = list(followers)

    def enqueue() -> None:
        for to in recipients:
            send_email.enqueue(subject=subject, body=body, to=[to])

    transaction.on_commit(enqueue)
