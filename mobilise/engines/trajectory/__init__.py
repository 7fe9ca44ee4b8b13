"""Trajectory engine: is an indicator in a place on course for its target?

An indicator's plan is a ``Trajectory``: a baseline, interim milestones and a long-term target,
joined by straight lines. Its measured series is projected to the target year by a straight-line
trend with a prediction interval (``TrendProjector``; ``BatchTrendProjector`` for thousands of
series at once) and ``ProgressAssessor`` turns series, trajectory and polarity into an
``Assessment``: on track, at risk, off track or insufficient data, with a sentence saying why.
``roll_up`` combines statuses for an outcome or a mission. Time is a float year throughout;
``periods`` converts period strings ("2021-Q2", "2021/22") to float years.

Plain Python with NumPy and SciPy: no Django. The rule and its formulas are documented in
``docs/trajectory-engine.md`` and in each module.
"""

from .assessment import Assessment, BatchAssessment, ProgressAssessor, Reason, assess
from .periods import date_to_year, format_year, period_bounds, period_to_year, periods_to_years
from .plan import Trajectory, trajectory_values
from .projection import BatchProjection, BatchTrendProjector, Projection, TrendProjector
from .status import Polarity, RollUp, Status, roll_up

__all__ = [
    "Assessment",
    "BatchAssessment",
    "BatchProjection",
    "BatchTrendProjector",
    "Polarity",
    "ProgressAssessor",
    "Projection",
    "Reason",
    "RollUp",
    "Status",
    "Trajectory",
    "TrendProjector",
    "assess",
    "date_to_year",
    "format_year",
    "period_bounds",
    "period_to_year",
    "periods_to_years",
    "roll_up",
    "trajectory_values",
]
