"""Rolling indicator statuses up to an outcome and outcomes up to a mission."""

import pytest

from mobilise.engines.trajectory import RollUp, Status, Trajectory, assess, roll_up

ON, RISK, OFF, NONE = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.INSUFFICIENT_DATA


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([ON, ON, ON], ON),
        ([ON, RISK, ON], RISK),
        ([ON, RISK, OFF], OFF),
        ([OFF, NONE], OFF),
        ([ON, NONE, NONE], ON),  # insufficient data is not evidence of failure
        ([NONE, NONE], NONE),  # … but nothing assessed means no status
        ([], NONE),
    ],
)
def test_worst_of_the_assessed(statuses, expected):
    assert roll_up(statuses).status is expected


def test_counts_and_sentence():
    result = roll_up(["on_track", "at_risk", "insufficient_data", "on_track", "off_track"])
    assert result.counts == {OFF: 1, RISK: 1, Status.UNCERTAIN: 0, ON: 2, NONE: 1}
    assert result.total == 5 and result.assessed == 4
    assert result.explanation == (
        "5 indicators: 1 off track, 1 at risk, 2 on track and 1 with insufficient data; "
        "overall off track, the worst of those assessed."
    )


def test_nothing_assessed_sentence():
    assert (
        roll_up([NONE], noun="outcome").explanation
        == "1 outcome: 1 with insufficient data, so none can be assessed."
    )
    assert roll_up([]).explanation == "No indicators to assess yet."


def test_min_assessed_share():
    statuses = [ON, NONE, NONE]
    assert roll_up(statuses, min_assessed_share=0.5).status is NONE
    assert "too few assessed (needs 50%)" in roll_up(statuses, min_assessed_share=0.5).explanation
    assert roll_up([ON, ON, NONE], min_assessed_share=0.5).status is ON
    with pytest.raises(ValueError, match="min_assessed_share"):
        roll_up(statuses, min_assessed_share=1.5)


def test_accepts_assessments_and_roll_ups():
    plan = Trajectory((2015, 50.0), (2030, 20.0))
    on = assess([2019, 2020, 2021], [42.0, 40.0, 38.0], plan, "lower_is_better", now=2022)
    short = assess([2021], [38.0], plan, "lower_is_better", now=2022)
    outcome = roll_up([on, short])
    assert isinstance(outcome, RollUp) and outcome.status is ON
    mission = roll_up([outcome, roll_up([OFF])], noun="outcome")
    assert mission.status is OFF
    assert mission.explanation.startswith("2 outcomes: 1 off track and 1 on track;")


def test_unknown_status_raises():
    with pytest.raises(ValueError, match="Each status must be one of"):
        roll_up(["fine"])
