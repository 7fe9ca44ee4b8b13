from datetime import date

import factory

from mobilise.indicators.tests.factories import IndicatorFactory
from mobilise.learning.models import Design, Pilot
from mobilise.missions.tests.factories import MissionFactory


class PilotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pilot
        skip_postgeneration_save = True

    mission = factory.SubFactory(MissionFactory)
    title = factory.Sequence(lambda n: f"School streets pilot {n}")
    hypothesis = (
        "If we close streets outside schools at drop-off, then NO2 falls because fewer cars idle."
    )
    intervention = "Timed closures outside five primary schools."
    start_date = date(2024, 9, 1)
    planned_end_date = date(2025, 7, 31)
    design = Design.SYNTHETIC_CONTROL

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        if create and extracted:
            self.treated_places.set(extracted)

    @factory.post_generation
    def indicators(self, create, extracted, **kwargs):
        if create:
            self.indicators.set(extracted or [IndicatorFactory()])
