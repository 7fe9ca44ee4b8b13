from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "mobilise.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        # Mission and place pages, and stocktake packs, show conversations without importing
        # this app (see core.sections).
        from mobilise.core.sections import (
            mission_evidence,
            mission_sections,
            place_sections,
            waiting_for_you,
        )

        from . import sections, waiting

        mission_sections.register("deliberation", sections.mission_section, order=30)
        place_sections.register("deliberation", sections.place_section, order=30)
        mission_evidence.register("deliberation", sections.mission_evidence, order=30)
        waiting_for_you.register("deliberation", waiting.statements_to_moderate, order=30)

        # Download my data and Delete my account (accounts) reach this app's rows through here.
        from mobilise.core.personal_data import PersonalData, personal_data

        from . import personal_data as deliberation_personal_data

        personal_data.register(
            "deliberation",
            PersonalData(
                export=deliberation_personal_data.export, erase=deliberation_personal_data.erase
            ),
            order=30,
        )
