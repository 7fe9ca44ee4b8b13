"""Running the evaluation engine on a pilot's measure: the panel of the treated place and its
comparison pool, the method its design calls for, and the results as JSON to keep."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from mobilise.engines.evaluation import (
    DifferenceInDifferences,
    InterruptedTimeSeries,
    Panel,
    SyntheticControl,
)
from mobilise.indicators import selectors as indicator_selectors

from . import selectors
from .models import Design, Pilot

OUTCOME = "value"


class NotReady(Exception):
    """The pilot cannot be evaluated yet; the message says why, for the results page."""


@dataclass
class Inputs:
    method: str
    treated_name: str
    start: float
    times: list[float]
    periods: dict[float, str]
    treated: dict[float, float]
    donors: dict[str, dict[float, float]]
    indicator_title: str
    unit: str


def method_for(pilot: Pilot, has_pool: bool) -> str:
    if not has_pool:
        return "its"
    if pilot.design == Design.DID:
        return "did"
    return "synth"


def gather(pilot: Pilot) -> Inputs:
    indicator = selectors.outcome_indicator(pilot)
    treated = pilot.treated_places.order_by("name").first()
    if indicator is None or treated is None:
        raise NotReady(_("The pilot needs an outcome indicator and a place."))
    series = indicator_selectors.headline_series(indicator)
    if series is None:
        raise NotReady(_("%(indicator)s has no data yet.") % {"indicator": indicator.title})
    pool = list(pilot.comparison_places.exclude(pk=treated.pk))
    panel = indicator_selectors.series_panel(series, [treated.pk] + [p.pk for p in pool])
    start = selectors.decimal_year(pilot.start_date)
    own = {v.time: v.value for v in panel.get(treated.pk, [])}
    periods = {v.time: v.period for v in panel.get(treated.pk, [])}
    if not any(t >= start for t in own):
        raise NotReady(
            _("There are no figures for %(place)s from the pilot's start yet.")
            % {"place": treated.name}
        )
    if sum(t < start for t in own) < 2:
        raise NotReady(
            _("There are too few figures for %(place)s before the pilot started.")
            % {"place": treated.name}
        )
    times = sorted(own)
    # Only comparison places with a figure for every period the treated place has: the engine
    # compares like with like.
    donors = {}
    for place in pool:
        values = {v.time: v.value for v in panel.get(place.pk, [])}
        if all(t in values for t in times):
            donors[place.name] = {t: values[t] for t in times}
    method = method_for(pilot, bool(donors))
    if method == "synth" and len(donors) < 2:
        method = "did" if donors else "its"
    return Inputs(
        method=method,
        treated_name=treated.name,
        start=start,
        times=times,
        periods=periods,
        treated=own,
        donors=donors,
        indicator_title=indicator.title,
        unit=indicator.unit,
    )


def _panel(inputs: Inputs) -> Panel:
    units, times, values = [], [], []
    for name, series in [(inputs.treated_name, inputs.treated), *inputs.donors.items()]:
        for t in inputs.times:
            units.append(name)
            times.append(t)
            values.append(series[t])
    return Panel.from_long(units, times, {OUTCOME: values}, source=inputs.indicator_title)


def run(pilot: Pilot) -> dict[str, Any]:
    """Fit the engine and return what the results page shows, as JSON-ready data."""
    inputs = gather(pilot)
    comparison: list[float | None]
    data: dict[str, Any] = {
        "method": inputs.method,
        "treated": inputs.treated_name,
        "indicator": inputs.indicator_title,
        "unit": inputs.unit,
        "start": inputs.start,
        "donors": sorted(inputs.donors),
        "weights": [],
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
    }
    if inputs.method == "synth":
        model = SyntheticControl(placebos=True).fit(
            _panel(inputs), outcome=OUTCOME, treated=inputs.treated_name, start=inputs.start
        )
        result = model.result_
        synthetic = dict(zip(result.times, result.synthetic_path, strict=True))
        comparison = [synthetic.get(t) for t in inputs.times]
        data["weights"] = sorted(
            ([name, w] for name, w in result.weights.items() if w > 0.0005),
            key=lambda item: -item[1],
        )
        data["estimate"] = result.effect
        data["p_value"] = result.p_value
        data["pre_rmspe"] = result.pre_rmspe
        data["post_rmspe"] = result.post_rmspe
        # Each comparison place treated as if it had run the pilot: its gap every period, for the
        # placebo chart, and how its fit before compares with its gap after.
        data["placebos"] = [
            {
                "unit": p.unit,
                "gap": list(p.gap),
                "pre_rmspe": p.pre_rmspe,
                "post_rmspe": p.post_rmspe,
                "ratio": p.ratio,
            }
            for p in result.placebos
        ]
    elif inputs.method == "did":
        model = DifferenceInDifferences(design="twfe").fit(
            _panel(inputs), outcome=OUTCOME, treated=[inputs.treated_name], start=inputs.start
        )
        result = model.result_
        comparison = [
            sum(d[t] for d in inputs.donors.values()) / len(inputs.donors) for t in inputs.times
        ]
        data["estimate"] = result.estimate
        data["ci_low"], data["ci_high"] = result.ci_low, result.ci_high
        data["p_value"] = result.p_value
    else:
        model = InterruptedTimeSeries().fit(
            inputs.times, [inputs.treated[t] for t in inputs.times], start=inputs.start
        )
        result = model.result_
        comparison = [None for _t in inputs.times]
        data["estimate"] = result.level_change
        data["ci_low"], data["ci_high"] = result.level_ci
    data["summary"] = result.summary()
    data["engine"] = result.to_dict()
    data["series"] = [
        {
            "time": t,
            "period": inputs.periods.get(t, str(int(t))),
            "treated": inputs.treated[t],
            "comparison": c,
            "gap": None if c is None else inputs.treated[t] - c,
        }
        for t, c in zip(inputs.times, comparison, strict=True)
    ]
    return data


def json_ready(value: Any) -> Any:
    """Plain JSON: no NaN or infinity (PostgreSQL's jsonb refuses them), no NumPy numbers."""
    import math

    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
