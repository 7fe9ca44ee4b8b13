"""Dates and times as GOV.UK writes them, in the service's time zone.

GOV.UK's style: "4 June 2027", "5:30pm", "10am" (no ":00"), "midday" and "midnight" rather than
12pm and 12am, "to" in ranges. One place for it, so every page says times the same way and
Welsh gets its own words for them (yb / yh, canol dydd, hanner nos) from the catalogue.
"""

from datetime import datetime, time

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def time_of_day(moment: datetime | time) -> str:
    """9:55pm, 10am, midday, midnight."""
    if isinstance(moment, datetime):
        moment = _local(moment).time()
    if (moment.hour, moment.minute) == (12, 0):
        return _("midday")
    if (moment.hour, moment.minute) == (0, 0):
        return _("midnight")
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment.minute:02d}" if moment.minute else str(hour)
    suffix = pgettext("before midday", "am") if moment.hour < 12 else pgettext("after midday", "pm")
    return f"{clock}{suffix}"


def day(moment: datetime, *, weekday: bool = False) -> str:
    """4 June 2027, or Friday 4 June 2027."""
    return formats.date_format(_local(moment), "l j F Y" if weekday else "j F Y")


def when(moment: datetime | None, *, weekday: bool = False) -> str:
    """4 June 2027 at 5:30pm (Friday 4 June 2027 at 5:30pm with ``weekday``)."""
    if moment is None:
        return ""
    return _("%(day)s at %(time)s") % {
        "day": day(moment, weekday=weekday),
        "time": time_of_day(moment),
    }


def time_range(start: datetime, end: datetime) -> str:
    """6pm to 8:30pm."""
    return _("%(start)s to %(end)s") % {"start": time_of_day(start), "end": time_of_day(end)}
