"""Quantities in different units: compared only where the documented rule converts them."""

import pytest

from mobilise.engines.matching import Ask, MatchRanker, Offer, units

CAMDEN = "E09000007"


@pytest.mark.parametrize(
    ("offered", "asked", "expected"),
    [
        ("room days", "room hours", 8.0),
        ("room hours", "room days", 0.125),
        ("Room  Days", "room days", 1.0),
        ("hours", "room days", 0.125),
        ("hours of room use", "room days", 0.125),
        ("room weeks", "room days", 5.0),
        ("volunteer hours", "room days", None),
        ("places", "hours", None),
        ("pounds", "people", None),
    ],
)
def test_units_convert_only_by_the_documented_rule(offered, asked, expected):
    assert units.factor(offered, asked) == expected


def _pair(offer_quantity, offer_unit, ask_quantity, ask_unit):
    ask = Ask(id="a", category="premises", place=CAMDEN, quantity=ask_quantity, unit=ask_unit)
    offer = Offer(
        id="o", category="premises", place=CAMDEN, quantity=offer_quantity, unit=offer_unit
    )
    return MatchRanker().fit([ask], [offer]).matches_[0]


def test_room_hours_offered_for_room_days_asked_are_converted_not_a_full_match():
    # 8 room hours is one room day: a quarter of the 4 days asked for, not "100%".
    match = _pair(8, "room hours", 4, "room days")
    assert match.components["quantity"] == pytest.approx(0.25)
    assert match.score < 1
    assert not match.units_differ
    codes = [r.code for r in match.reasons]
    assert "units_converted" in codes and "quantity_partial" in codes
    converted = next(r for r in match.reasons if r.code == "units_converted")
    assert converted.text == "8 room hours is 1 room days (a day is 8 hours)"


def test_units_that_do_not_convert_are_flagged_so_no_percentage_is_shown():
    match = _pair(10, "volunteer hours", 2, "room days")
    assert match.units_differ
    assert match.components["quantity"] is None
    assert "different_units" in [r.code for r in match.reasons]
    # Everything else agrees, so the score alone would read "100%": units_differ says why not.
    assert match.score == 1.0
