"""Mission councils, delivery-confidence assessments, stocktake packs and the national roll-up: proportionate accountability."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssuranceConfig(AppConfig):
    name = "mobilise.assurance"
    label = "assurance"
    verbose_name = _("Assurance")

    def ready(self) -> None:
        # Mission pages show confidence and the national roll-up without importing this app.
        from mobilise.core.sections import mission_sections, waiting_for_you

        from . import sections, waiting

        mission_sections.register("assurance", sections.mission_section, order=30)
        mission_sections.register("assurance-rollup", sections.national_section, order=35)
        waiting_for_you.register("assurance", waiting.overdue_and_failed, order=40)

        # Download my data and Delete my account (accounts) reach this app's rows through here.
        from mobilise.core.personal_data import PersonalData, personal_data

        from . import personal_data as assurance_personal_data

        personal_data.register(
            "assurance",
            PersonalData(
                export=assurance_personal_data.export, erase=assurance_personal_data.erase
            ),
            order=50,
        )
