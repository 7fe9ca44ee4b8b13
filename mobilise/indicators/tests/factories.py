"""Factories for indicators, their series, observations, targets and milestones.

Shared by the importer's and the indicator pages' tests. ``ObservationFactory`` works out ``time``
from ``period`` the way the importer does, so a factory-made row looks like an imported one::

    indicator = IndicatorFactory(code="co2-transport", polarity=Indicator.Polarity.LOWER)
    series = SeriesFactory(indicator=indicator)  # the headline series (key "")
    ObservationFactory(series=series, place=camden, period="2019", value=312.5)
    target = TargetFactory(series=series, place=camden, baseline_period="2019", target_year=2035)
    MilestoneFactory(target=target, year=2030, value=200)

``observations_for(series, place, {"2019": 1.0, "2020": 2.0})`` makes a whole run in one query.
"""

from collections.abc import Mapping

import factory

from mobilise.indicators.models import Indicator, Milestone, Observation, Series, Target
from mobilise.places.tests.factories import PlaceFactory


def _time(period: str) -> float:
    from mobilise.indicators.importing.periods import parse_period

    return parse_period(period).start


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"indicator-{n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "Percentage (%)"
    polarity = Indicator.Polarity.LOWER
    source_name = "Office for National Statistics"
    licence = "Open Government Licence v3.0"
    attribution = (
        "Contains public sector information licensed under the Open Government Licence v3.0"
    )


class SeriesFactory(factory.django.DjangoModelFactory):
    """The headline series unless ``key``/``dimensions`` say otherwise."""

    class Meta:
        model = Series
        django_get_or_create = ("indicator", "key")

    indicator = factory.SubFactory(IndicatorFactory)
    key = ""
    dimensions = factory.LazyFunction(dict)
    unit = factory.LazyAttribute(lambda o: o.indicator.unit)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    series = factory.SubFactory(SeriesFactory)
    place = factory.SubFactory(PlaceFactory)
    period = "2020"
    time = factory.LazyAttribute(lambda o: _time(o.period))
    value = 10.0
    status = Observation.Status.FINAL


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    series = factory.SubFactory(SeriesFactory)
    indicator = factory.LazyAttribute(lambda o: o.series.indicator)
    place = factory.SubFactory(PlaceFactory)
    baseline_period = "2019"
    baseline_value = 100.0
    target_year = 2035
    target_value = 50.0


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    target = factory.SubFactory(TargetFactory)
    year = 2030
    value = 70.0


def observations_for(
    series: Series, place, values: Mapping[str, float], *, status: str = Observation.Status.FINAL
) -> list[Observation]:
    """One observation per ``{period: value}`` for ``series`` in ``place``, in one query."""
    return Observation.objects.bulk_create(
        Observation(series=series, place=place, period=p, time=_time(p), value=v, status=status)
        for p, v in values.items()
    )
