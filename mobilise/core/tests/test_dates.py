"""Times as GOV.UK writes them, in Europe/London whatever the server's clock says."""

import datetime as dt

from django.utils import translation

from mobilise.core.dates import time_of_day, time_range, when

UTC = dt.UTC


def test_times_follow_govuk_style():
    assert time_of_day(dt.time(17, 30)) == "5:30pm"
    assert time_of_day(dt.time(10, 0)) == "10am"
    assert time_of_day(dt.time(9, 5)) == "9:05am"
    assert time_of_day(dt.time(12, 0)) == "midday"
    assert time_of_day(dt.time(0, 0)) == "midnight"
    assert time_of_day(dt.time(12, 30)) == "12:30pm"
    assert time_of_day(dt.time(0, 15)) == "12:15am"


def test_moments_are_shown_in_london_time():
    summer = dt.datetime(2027, 6, 4, 16, 30, tzinfo=UTC)  # British Summer Time: 5:30pm
    assert when(summer) == "4 June 2027 at 5:30pm"
    assert when(summer, weekday=True) == "Friday 4 June 2027 at 5:30pm"
    winter = dt.datetime(2027, 1, 4, 12, 0, tzinfo=UTC)
    assert when(winter) == "4 January 2027 at midday"
    assert when(None) == ""


def test_a_range_uses_to():
    start = dt.datetime(2027, 1, 4, 18, 0, tzinfo=UTC)
    assert time_range(start, start + dt.timedelta(hours=2, minutes=30)) == "6pm to 8:30pm"


def test_welsh_has_its_own_words():
    with translation.override("cy"):
        assert time_of_day(dt.time(12, 0)) == "canol dydd"
        assert time_of_day(dt.time(17, 30)) == "5:30yh"
        assert time_of_day(dt.time(9, 0)) == "9yb"


def test_pages_reach_them_through_the_template_filters():
    from django.template import engines

    template = engines["jinja2"].from_string(
        "{{ start|when }} · {{ start|time_of_day }} · {{ time_range(start, end) }}"
    )
    start = dt.datetime(2027, 1, 4, 18, 0, tzinfo=UTC)
    assert (
        template.render({"start": start, "end": start + dt.timedelta(hours=2)})
        == "4 January 2027 at 6pm · 6pm · 6pm to 8pm"
    )
