from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "mobilise.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # Places and missions show indicators without importing this app (see core.sections).
        from mobilise.core.sections import (
            mission_evidence,
            mission_sections,
            outcome_sections,
            place_sections,
        )

        from . import evidence, sections

        place_sections.register("indicators", sections.place_section, order=10)
        mission_sections.register("indicators", sections.mission_section, order=10)
        outcome_sections.register("indicators", sections.outcome_section, order=10)
        outcome_sections.register("indicator-links", sections.outcome_links_section, order=11)
        mission_evidence.register("indicators", evidence.mission_evidence, order=10)
