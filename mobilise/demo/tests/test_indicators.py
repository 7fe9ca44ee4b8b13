"""The demo's indicators: every shipped data set imports, links to outcomes and sets targets."""

import pytest

from mobilise.demo import content
from mobilise.demo.indicators import demo_indicators
from mobilise.demo.services import demo_build
from mobilise.indicators.importing import SHIPPED_DIR
from mobilise.indicators.models import Indicator, Milestone, Target
from mobilise.missions.models import Outcome

pytestmark = pytest.mark.django_db

SDG_CODES = {
    p.name.removeprefix("indicator_").removesuffix(".csv.gz")
    for p in (SHIPPED_DIR / "sdg" / "data").iterdir()
}
EXTRA_CODES = {
    "co2-total",
    "co2-transport",
    "co2-domestic",
    "co2-per-person",
    "imd-2019-score",
    "imd-2019-most-deprived",
    "population",
}


def test_demo_imports_everything_links_outcomes_and_sets_targets_repeatably():
    demo_build(load_places=True)  # the demo build runs demo_indicators() itself
    first = demo_indicators()

    assert first.report.ok
    assert len(SDG_CODES) == 25
    assert set(Indicator.objects.values_list("code", flat=True)) == SDG_CODES | EXTRA_CODES
    from mobilise.indicators.models import Observation

    assert Observation.objects.count() > 100_000
    assert first.report.created == 0  # already imported by the demo build
    # The ONS files' known conflicting duplicates are skipped, and said so.
    assert any(p.kind == "duplicate_key" for p in first.report.warnings)

    transport = Outcome.objects.get(
        mission__slug="camden-clean-air", slug="halve-transport-emissions-by-2035"
    )
    assert set(transport.indicators.values_list("code", flat=True)) == {
        "co2-transport",
        "co2-total",
    }
    smoking = Outcome.objects.get(mission__slug="camden-healthy-lives", slug="fewer-people-smoking")
    assert list(smoking.indicators.values_list("code", flat=True)) == ["3-a-1"]
    assert (
        Outcome.objects.filter(mission__scope="national", indicators__isnull=False)
        .distinct()
        .count()
        == 10
    )

    # Each outcome linked to the indicator in Camden has its own copy of the target.
    target = Target.objects.get(
        indicator__code="co2-transport", place__code="E09000007", link__outcome=transport
    )
    assert (target.baseline_period, target.target_year, target.series.key) == ("2019", 2035, "")
    assert target.baseline_value == pytest.approx(157.05)
    assert target.target_value == pytest.approx(target.baseline_value / 2, abs=0.01)
    milestones = list(target.milestones.values_list("year", "value"))
    assert [year for year, _v in milestones] == [2025, 2030]
    assert target.baseline_value > milestones[0][1] > milestones[1][1] > target.target_value
    assert set(first.skipped_targets) == set()

    def camden_counts():
        return (
            Target.objects.filter(place__code=content.BOROUGH_CODE).count(),
            Milestone.objects.filter(target__place__code=content.BOROUGH_CODE).count(),
        )

    # Camden's targets, one per outcome linked to each of the three indicators with targets
    # (the assurance demo adds other places' targets later in the build); none is left
    # without an outcome.
    after_first = camden_counts()
    assert after_first[0] >= 3
    assert not Target.objects.filter(place__code=content.BOROUGH_CODE, link__isnull=True).exists()
    second = demo_indicators()
    assert (second.report.created, second.report.updated) == (0, 0)
    assert camden_counts() == after_first
    assert transport.indicators.count() == 2
