"""A volunteering session as an iCalendar file, for the download and the confirmation e-mail.

The event's UID never changes for a session on one site, so a calendar that gets the file again
(from the e-mail's attachment, or the download after the session moved) updates the one event.
Times are in the site's time zone (Europe/London) with its VTIMEZONE, so a calendar shows the time
the organiser set, summer or winter.
"""

from typing import Any

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _


def session_calendar(session: Any, *, host: str, url: str) -> bytes:
    """``host`` names the site in the UID ("mobilise.example"); ``url`` is the session's page."""
    opportunity = session.opportunity
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mobilise//Volunteering//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"mobilise-session-{session.pk}@{host or 'mobilise'}")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", session.updated_at)
    # Calendars keep whole seconds.
    event.add("dtstart", timezone.localtime(session.starts_at).replace(microsecond=0))
    event.add("dtend", timezone.localtime(session.ends_at).replace(microsecond=0))
    event.add("summary", _("Volunteering: %(role)s") % {"role": opportunity.role})
    event.add("location", opportunity.location)
    event.add(
        "description", f"{opportunity.organisation.name}\n\n{opportunity.description}\n\n{url}"
    )
    event.add("url", url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def file_name(session: Any) -> str:
    return f"volunteering-{session.pk}.ics"
