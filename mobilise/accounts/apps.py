from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mobilise.accounts"
    label = "accounts"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        from . import personal_data, receivers  # noqa: F401 - importing connects the signal handlers

        # The person's own rows, for Download my data and Delete my account (core.personal_data).
        personal_data.register()
