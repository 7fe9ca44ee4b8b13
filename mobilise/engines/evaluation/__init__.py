"""Evaluation engine: did an intervention change an outcome, and how sure can we be?

* :class:`SyntheticControl` — synthetic control (Abadie, Diamond & Hainmueller 2010) with
  placebos in space and time and leave-one-out donors;
* :class:`DifferenceInDifferences` — the 2×2 design and two-way fixed effects with
  cluster-robust (CR1) standard errors; :class:`EventStudy` (leads and lags, joint pre-trend test);
  :class:`CallawaySantAnna` (staggered adoption, never-treated controls);
* :class:`InterruptedTimeSeries` — segmented regression with Newey–West standard errors.

Data come as a :class:`Panel` (units × periods, one matrix per column), usually from
:func:`read_panel_csv`. Every result has ``summary()``: the estimate, its uncertainty and a plain-
English judgement of the strength of the evidence. Plain Python with NumPy and SciPy: no Django.
Methods, the fidelity checks against published studies and limits are in
``docs/evaluation-engine.md``.
"""

from .did import CallawaySantAnna, DiDResult, DifferenceInDifferences, EventStudy, adoption_times
from .its import InterruptedTimeSeries, ITSResult
from .panel import Panel, PanelError, read_panel_csv
from .synth import PlaceboRun, Predictor, SyntheticControl, SynthResult, parse_years

__all__ = [
    "CallawaySantAnna",
    "DiDResult",
    "DifferenceInDifferences",
    "EventStudy",
    "ITSResult",
    "InterruptedTimeSeries",
    "adoption_times",
    "Panel",
    "PanelError",
    "PlaceboRun",
    "Predictor",
    "SynthResult",
    "SyntheticControl",
    "parse_years",
    "read_panel_csv",
]
