"""Test and learn: pilots registered with a frozen analysis plan, evaluated against comparison
places (engine: mobilise.engines.evaluation), and what was learned, kept for other places."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "mobilise.learning"
    label = "learning"
    verbose_name = _("Test and learn")
