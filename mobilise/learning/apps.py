"""Test and learn: pilots registered with a frozen analysis plan, evaluated against comparison
places (engine: mobilise.engines.evaluation), and what was learned, kept for other places."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "mobilise.learning"
    label = "learning"
    verbose_name = _("Test and learn")

    def ready(self) -> None:
        # Re-imported indicator data recompute the pilots measured on them (indicators sends the
        # signal without importing this app).
        from mobilise.core.sections import mission_sections
        from mobilise.indicators.signals import observations_changed

        from . import sections

        mission_sections.register("learning", sections.mission_section, order=50)
        observations_changed.connect(_recompute, dispatch_uid="learning-recompute-evaluations")


def _recompute(sender: object, *, indicator_ids: list[int], **kwargs: object) -> None:
    from . import services

    services.indicators_changed(indicator_ids=indicator_ids)
