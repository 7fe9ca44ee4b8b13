"""Budget rounds in which residents propose projects and vote; results counted with the Method of Equal Shares (engine: mobilise.engines.budgeting)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "mobilise.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        # The mission page and stocktake packs show budgeting without importing this app.
        from mobilise.core.sections import mission_evidence, mission_sections

        from . import sections

        mission_sections.register("budgeting", sections.mission_section, order=40)
        mission_evidence.register("budgeting", sections.mission_evidence, order=40)

        # Download my data and Delete my account (accounts) reach this app's rows through here.
        from mobilise.core.personal_data import PersonalData, personal_data

        from . import personal_data as budgeting_personal_data

        personal_data.register(
            "budgeting",
            PersonalData(
                export=budgeting_personal_data.export, erase=budgeting_personal_data.erase
            ),
            order=40,
        )
