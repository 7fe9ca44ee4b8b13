"""Values every page needs: the service name and the navigation, marked with the current section."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    sections = [
        (_("Missions"), reverse("missions:index")),
        (_("Indicators"), reverse("indicators:index")),
        (_("Places"), reverse("places:index")),
        # Names, not imports: core sits below these apps (see core.sections).
        (_("Conversations"), reverse("deliberation:index")),
        (_("Budgets"), reverse("budgeting:index")),
        (_("Test and learn"), reverse("learning:index")),
        (_("Organisations"), reverse("accounts:organisation_index")),
    ]
    nav = [{"text": text, "href": href, "active": path.startswith(href)} for text, href in sections]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        account = format_html(
            '<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="{}">{}</a></li>'
            '<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="{}">{}</a></li>',
            reverse("accounts:dashboard"),
            _("Your account"),
            reverse("account_logout"),
            _("Sign out"),
        )
    else:
        account = format_html(
            '<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="{}">{}</a></li>',
            reverse("account_login"),
            _("Sign in"),
        )
    return {"site_name": settings.SITE_NAME, "nav_items": nav, "account_nav_html": account}
