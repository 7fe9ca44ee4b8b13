from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Builds the demonstration set-up; sits above every other app because it uses them all."""

    name = "mobilise.demo"
    label = "demo"
    verbose_name = _("Demonstration data")
