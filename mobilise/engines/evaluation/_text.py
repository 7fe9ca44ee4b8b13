"""Plain-English judgements of how far an estimate can be trusted."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .did import DiDResult
    from .its import ITSResult
    from .synth import SynthResult


def _g(x: float) -> str:
    """A number to three significant figures, without a trailing ``.0``."""
    if x == 0:
        return "0"
    text = f"{x:,.3g}" if abs(x) < 1e4 else f"{x:,.0f}"
    return text


def _year(t: float) -> str:
    return str(int(t)) if float(t).is_integer() else str(t)


def synth_summary(r: SynthResult) -> str:
    direction = "higher" if r.effect > 0 else "lower"
    sentences = [
        f"After {_year(r.start)}, {r.treated}'s {r.outcome} was on average {_g(abs(r.effect))} "
        f"{direction} than its synthetic control's."
    ]
    fit_share = r.pre_rmspe / abs(r.pre_mean) if r.pre_mean else float("inf")
    if fit_share <= 0.02:
        fit, fit_ok = "close", True
    elif fit_share <= 0.05:
        fit, fit_ok = "fair", True
    else:
        fit, fit_ok = "poor", False
    sentences.append(
        f"Before {_year(r.start)} the synthetic control tracked it {fit}ly "
        f"(root mean squared gap {_g(r.pre_rmspe)}, {fit_share:.1%} of the pre-period mean)."
        if fit != "poor"
        else f"Before {_year(r.start)} the synthetic control tracked it poorly (root mean squared gap "
        f"{_g(r.pre_rmspe)}, {fit_share:.1%} of the pre-period mean), so the post-period gap may "
        "reflect the poor match rather than the intervention."
    )
    used = sorted(((w, u) for u, w in r.weights.items() if w >= 0.01), reverse=True)
    names = ", ".join(f"{u} ({w:.2f})" for w, u in used[:5])
    sentences.append(
        f"It is built from {len(used)} of {len(r.weights)} donor units: {names}"
        + (" and others." if len(used) > 5 else ".")
    )
    if len(used) == 1:
        sentences.append("Resting on a single donor, it is only as good as that one comparison.")
    if r.p_value is None:
        sentences.append(
            "No placebo test was run, so there is no measure of how often a gap this large arises "
            "by chance: treat the estimate as descriptive, not as evidence of an effect."
        )
        strength = "weak"
    else:
        n = len(r.placebos) + 1
        sentences.append(
            f"Its post/pre gap ratio ranks {r.rank} of {n} when every donor is treated as a placebo "
            f"(p = {r.p_value:.3f}; the smallest possible is {1 / n:.3f})."
        )
        if n < 20:
            sentences.append(
                f"With only {n} units the placebo test cannot give p below {1 / n:.2f}."
            )
        if r.p_value <= 0.05 and fit_ok:
            strength = "strong"
        elif r.p_value <= 0.10 and fit_ok:
            strength = "moderate"
        else:
            strength = "weak"
    if r.time_placebo is not None:
        tp = r.time_placebo
        big = abs(tp["effect"]) > max(2 * r.pre_rmspe, 0.25 * abs(r.effect))
        sentences.append(
            f"Moving the start back to {_year(tp['start'])} gives a gap of {_g(tp['effect'])} "
            + (
                "before anything happened, which casts doubt on the estimate."
                if big
                else "before anything happened, small beside the estimate, as it should be."
            )
        )
        if big:
            strength = "weak"
    if r.leave_one_out:
        effects = list(r.leave_one_out.values())
        low, high = min(effects), max(effects)
        flips = any((e > 0) != (r.effect > 0) for e in effects)
        sentences.append(
            f"Dropping each contributing donor in turn gives estimates from {_g(low)} to {_g(high)}"
            + ("; one of them changes its sign." if flips else ".")
        )
        if flips:
            strength = "weak"
    sentences.append(f"Evidence of an effect: {strength}.")
    return " ".join(sentences)


def did_summary(r: DiDResult) -> str:
    level = f"{1 - r.alpha:.0%}"
    sentences = [
        f"{r.label}: {_g(r.estimate)} (standard error {_g(r.se)}; {level} confidence interval "
        f"{_g(r.ci_low)} to {_g(r.ci_high)}), from {r.n:,} observations in {r.n_clusters:,} clusters."
    ]
    excludes_zero = r.ci_low > 0 or r.ci_high < 0
    if r.n_clusters < 30:
        sentences.append(
            f"With only {r.n_clusters} clusters the cluster-robust standard error may be too small."
        )
    sentences.append(
        "The interval excludes zero."
        if excludes_zero
        else "The interval includes zero: no clear effect."
    )
    if r.pretrend_p is not None:
        if r.pretrend_p < 0.05:
            sentences.append(
                f"Before treatment the groups were already diverging (joint test of leads p = "
                f"{r.pretrend_p:.3f}), so parallel trends is doubtful."
            )
        else:
            sentences.append(
                f"Leads show no clear divergence before treatment (p = {r.pretrend_p:.3f}), which "
                "supports, but cannot prove, parallel trends."
            )
    else:
        sentences.append("The estimate rests on the untestable assumption of parallel trends.")
    strength = (
        "moderate" if excludes_zero and (r.pretrend_p is None or r.pretrend_p >= 0.05) else "weak"
    )
    if strength == "moderate" and r.pretrend_p is not None and r.n_clusters >= 30:
        strength = "strong"
    sentences.append(f"Evidence of an effect: {strength}.")
    return " ".join(sentences)


def its_summary(r: ITSResult) -> str:
    level = f"{1 - r.alpha:.0%}"
    return " ".join(
        [
            f"At {_year(r.start)} the level changed by {_g(r.level_change)} ({level} CI "
            f"{_g(r.level_ci[0])} to {_g(r.level_ci[1])}) and the trend by {_g(r.slope_change)} per "
            f"period ({level} CI {_g(r.slope_ci[0])} to {_g(r.slope_ci[1])}), with Newey–West "
            f"standard errors over {r.n} periods.",
            "An interrupted time series has no comparison group: anything else that changed at the "
            "same time would show up the same way, so this is weaker evidence than a comparison with "
            "untreated units.",
            f"Evidence of an effect: {'moderate' if r.level_ci[0] > 0 or r.level_ci[1] < 0 else 'weak'} at best.",
        ]
    )
