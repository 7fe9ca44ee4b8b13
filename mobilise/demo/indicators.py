"""The demo's indicators: every shipped data set imported, linked to the missions' outcomes, and
targets with milestones for the borough where its own figures are published.

Safe to run again: the import changes nothing the second time, links are added only once and
targets are updated in place. Call after ``demo_build`` (it needs the places and the missions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from mobilise.indicators.importing import SHIPPED_DIR, ImportReport, import_path
from mobilise.indicators.models import Indicator, Milestone, Observation, Series, Target
from mobilise.indicators.services import link_places, targets_to_links
from mobilise.missions.models import Outcome
from mobilise.places.models import Place

from . import content

# (mission slug, outcome title) → indicators that measure it.
OUTCOME_INDICATORS: dict[tuple[str, str], list[str]] = {
    # The borough's missions
    ("camden-clean-air", "Halve transport emissions by 2035"): ["co2-transport", "co2-total"],
    ("camden-clean-air", "Cleaner air near schools"): ["3-9-1"],
    ("camden-clean-air", "More journeys by foot, cycle and public transport"): ["co2-transport"],
    ("camden-healthy-lives", "Fewer people smoking"): ["3-a-1"],
    ("camden-healthy-lives", "Healthier neighbourhoods"): ["imd-2019-score"],
    ("camden-good-work", "More residents in good jobs"): ["8-5-2", "8-5-1"],
    # The national missions
    ("growth", "Higher living standards in every region"): ["8-5-1"],
    ("growth", "More good jobs"): ["8-5-2", "9-2-2"],
    ("clean-energy", "Clean power by 2030"): ["7-b-1"],
    ("clean-energy", "Lower territorial emissions"): ["co2-total", "co2-per-person"],
    ("safer-streets", "Halve knife crime"): ["16-1-3", "16-1-4"],
    ("safer-streets", "Halve violence against women and girls"): ["5-2-1", "11-7-2"],
    ("health", "Fewer lives lost to the biggest killers"): ["3-4-1", "3-4-2"],
    ("health", "Healthy life expectancy gap halved"): ["3-a-1"],
    ("opportunity", "School-ready children"): ["4-2-1", "4-2-2"],
    ("opportunity", "More young people in education, employment or training"): ["8-5-2"],
}


@dataclass
class TargetSpec:
    indicator: str
    baseline_period: str
    target_year: int
    # The target as a share of the baseline (0.5 = halve it) …
    target_ratio: float
    milestone_years: tuple[int, ...]
    note: str


# Targets for the borough, on each indicator's headline series. Milestones lie on the straight
# line from the baseline to the target, which is how the borough's plans phase them.
BOROUGH_TARGETS = [
    TargetSpec(
        indicator="co2-transport",
        baseline_period="2019",
        target_year=2035,
        target_ratio=0.5,
        milestone_years=(2025, 2030),
        note="Halve transport CO2 emissions from their 2019 level by 2035 (the clean air "
        "mission's headline outcome), with milestones on a straight line from 2019.",
    ),
    TargetSpec(
        indicator="co2-total",
        baseline_period="2019",
        target_year=2035,
        target_ratio=0.4,
        milestone_years=(2025, 2030),
        note="Cut the borough's CO2 emissions within local influence by 60% from 2019 by 2035, "
        "on the way to net zero.",
    ),
    TargetSpec(
        indicator="3-9-1",
        baseline_period="2019",
        target_year=2030,
        target_ratio=2 / 3,
        milestone_years=(2025,),
        note="Cut the share of adult deaths attributable to fine particulate air pollution by a "
        "third from 2019 by 2030, as school streets and low-traffic neighbourhoods spread.",
    ),
]


@dataclass
class DemoIndicatorsSummary:
    report: ImportReport
    indicators: int = 0
    outcome_links: int = 0
    targets: list[str] = field(default_factory=list)
    milestones: int = 0
    skipped_targets: list[str] = field(default_factory=list)


def _link_outcomes() -> int:
    indicators = {i.code: i for i in Indicator.objects.all()}
    links = 0
    for (mission_slug, title), codes in OUTCOME_INDICATORS.items():
        outcome = Outcome.objects.filter(
            mission__slug=mission_slug, slug=slugify(title)[:80]
        ).first()
        if outcome is None:
            continue
        wanted = [indicators[c] for c in codes if c in indicators]
        outcome.indicators.add(*wanted)  # adding an existing link is a no-op
        # Each in the mission's own places (a national mission names none: its links stay
        # place-free and show the places with targets).
        for indicator in wanted:
            link_places(outcome=outcome, indicator=indicator, places=outcome.mission.places.all())
        links += len(wanted)
    return links


def _set_target(spec: TargetSpec, place: Place, summary: DemoIndicatorsSummary) -> None:
    series = (
        Series.objects.filter(indicator__code=spec.indicator, key="")
        .select_related("indicator")
        .first()
    )
    baseline = (
        Observation.objects.filter(series=series, place=place, period=spec.baseline_period)
        .values_list("value", flat=True)
        .first()
        if series
        else None
    )
    if baseline is None:
        summary.skipped_targets.append(spec.indicator)
        return
    start = int(spec.baseline_period[:4])
    target_value = round(baseline * spec.target_ratio, 2)
    target, _created = Target.objects.update_or_create(
        series=series,
        place=place,
        link=None,
        defaults={
            "indicator": series.indicator,
            "baseline_period": spec.baseline_period,
            "baseline_value": baseline,
            "target_year": spec.target_year,
            "target_value": target_value,
            "note": spec.note,
        },
    )
    for year in spec.milestone_years:
        share = (year - start) / (spec.target_year - start)
        Milestone.objects.update_or_create(
            target=target,
            year=year,
            defaults={"value": round(baseline + (target_value - baseline) * share, 2)},
        )
    target.milestones.exclude(year__in=spec.milestone_years).delete()
    # The outcomes linked to the indicator in the borough each get their own copy.
    targets_to_links(indicator=series.indicator, place=place)
    summary.targets.append(
        f"{spec.indicator}: {baseline:g} ({spec.baseline_period}) → {target_value:g} by {spec.target_year}"
    )
    summary.milestones += len(spec.milestone_years)


def demo_indicators(*, borough_code: str = content.BOROUGH_CODE) -> DemoIndicatorsSummary:
    """Import every shipped indicator, link them to the demo's outcomes, and set the borough's
    targets. Raises ``RuntimeError`` with the import report if the shipped data does not import.
    """
    # The ONS files repeat a handful of keys with different values (see mobilise/data/indicators/
    # LICENCE.md); which is right cannot be known, so those rows are skipped with a warning.
    report = import_path(SHIPPED_DIR, duplicates="skip")
    if not report.ok:
        raise RuntimeError(
            "\n".join(["The shipped indicator data did not import:", *report.lines()])
        )
    summary = DemoIndicatorsSummary(report=report, indicators=len(report.indicators))
    with transaction.atomic():
        summary.outcome_links = _link_outcomes()
        borough = Place.objects.filter(code=borough_code).first()
        if borough is not None:
            for spec in BOROUGH_TARGETS:
                _set_target(spec, borough, summary)
    return summary
