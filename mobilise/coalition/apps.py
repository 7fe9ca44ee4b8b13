from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    name = "mobilise.coalition"
    label = "coalition"
    verbose_name = _("Coalitions")

    def ready(self) -> None:
        # Mission and place pages show the coalition without importing this app (see core.sections).
        from mobilise.core.sections import (
            mission_evidence,
            mission_sections,
            place_sections,
            waiting_for_you,
            your_pages,
        )

        from . import evidence, sections, waiting

        mission_sections.register("coalition", sections.mission_section, order=20)
        place_sections.register("coalition", sections.place_section, order=20)
        mission_evidence.register("coalition", evidence.mission_evidence, order=20)
        waiting_for_you.register("coalition-lead", waiting.for_lead, order=20)
        waiting_for_you.register("coalition-matches", waiting.for_sides, order=21)
        waiting_for_you.register("coalition-attendance", waiting.for_organisers, order=22)
        your_pages.register("coalition", sections.your_pages, order=20)

        # Download my data and Delete my account (accounts) reach this app's rows through here.
        from mobilise.core.personal_data import PersonalData, personal_data

        from . import personal_data as coalition_personal_data

        personal_data.register(
            "coalition",
            PersonalData(
                export=coalition_personal_data.export, erase=coalition_personal_data.erase
            ),
            order=20,
        )
