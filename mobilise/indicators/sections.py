"""The indicators' sections on place, mission and outcome pages (registered in ``apps.py``).

Each provider renders a template and returns its HTML, or None when there is nothing to show, so
a place without data or a mission without indicators shows no empty heading.
"""

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mobilise.places.selectors import ancestors

from . import access, selectors


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    return render_to_string(
        template,
        {
            "status_label": selectors.status_label,
            "status_class": selectors.STATUS_TAG_CLASSES.get,
            "fmt": selectors.format_value,
            **context,
        },
        request=request,
    )


def place_section(request: HttpRequest, place: Any) -> str | None:
    # The same for everyone: the rendered table is cached until the data or targets change.
    key = (
        f"indicators:place-section:{place.pk}:{get_language()}:"
        f"{selectors.data_version()}:{selectors.targets_version()}"
    )
    html = cache.get(key)
    if html is None:
        compare, rows = selectors.place_indicators(place, ancestors(place))
        html = (
            _render(
                request,
                "indicators/_place_section.html",
                {"place": place, "compare": compare, "rows": rows},
            )
            if rows
            else ""
        )
        cache.set(key, html, selectors.CACHE_SECONDS)
    return html or None


def mission_section(request: HttpRequest, mission: Any) -> str | None:
    links = selectors.indicator_links(mission=mission)
    if not links and not selectors.has_contributions(mission=mission):
        return None
    outcomes = list(mission.outcomes.all())
    statuses = selectors.outcome_statuses(outcomes, mission, links)
    return _render(
        request,
        "indicators/_mission_section.html",
        {"mission": mission, "outcomes": statuses, "rollup": selectors.mission_rollup(statuses)},
    )


def outcome_section(request: HttpRequest, outcome: Any) -> str | None:
    links = selectors.indicator_links(outcome=outcome)
    if not links and not selectors.has_contributions(outcome=outcome):
        return None
    statuses = selectors.outcome_statuses([outcome], outcome.mission, links)
    return _render(
        request,
        "indicators/_outcome_section.html",
        {"outcome": outcome, "mission": outcome.mission, "data": statuses[0]},
    )


def outcome_links_section(request: HttpRequest, outcome: Any) -> str | None:
    """For the leads who may link indicators: what is linked, where, and the way to change it."""
    if not access.can_link_indicators(request.user, outcome):
        return None
    rows = []
    for link in selectors.outcome_links(outcome):
        what = _("%(indicator)s in %(place)s") % {
            "indicator": link.indicator.title,
            "place": link.place.display_name,
        }
        rows.append(
            {
                "code": link.indicator.code,
                "title": link.indicator.title,
                "place_name": link.place.display_name,
                "place_code": link.place.code,
                "indicator_url": link.indicator.get_absolute_url()
                + "?"
                + urlencode({"place": link.place.code}),
                "actions": [
                    {
                        "text": _("Change target") if link.target_count else _("Set target"),
                        "hidden": what,
                        "href": reverse(
                            "indicators:link_target",
                            args=[outcome.mission.slug, outcome.slug, link.pk],
                        ),
                    },
                    {
                        "text": _("Unlink"),
                        "hidden": what,
                        "href": reverse(
                            "indicators:link_delete",
                            args=[outcome.mission.slug, outcome.slug, link.pk],
                        ),
                    },
                ],
            }
        )
    for indicator in selectors.placeless_indicators(outcome):
        rows.append(
            {
                "code": indicator.code,
                "title": indicator.title,
                "place_name": _("The mission’s places, and any with a target"),
                "place_code": "",
                "indicator_url": indicator.get_absolute_url(),
                "actions": [
                    {
                        "text": _("Unlink"),
                        "hidden": indicator.title,
                        "href": reverse(
                            "indicators:unlink_indicator",
                            args=[outcome.mission.slug, outcome.slug, indicator.code],
                        ),
                    }
                ],
            }
        )
    return render_to_string(
        "indicators/_outcome_links.html",
        {"outcome": outcome, "mission": outcome.mission, "links": rows},
        request=request,
    )
