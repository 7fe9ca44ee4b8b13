"""The Jinja2 environment for every page.

It adds the GOV.UK Frontend macros (``govuk_frontend_jinja/…``), Django's ``url`` and ``static``,
translations through Django's gettext, and the form helpers in ``mobilise.core.forms_govuk``.
"""

from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone, translation
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def date_format(value: Any, fmt: str = "j F Y") -> str:
    """Dates as GOV.UK writes them: 4 June 2027."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return formats.date_format(value, fmt)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options.setdefault("autoescape", select_autoescape(default=True, default_for_string=True))
    options.setdefault("extensions", []).extend(["jinja2.ext.i18n", "jinja2.ext.do"])
    env = Environment(**options)
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "get_current_language": translation.get_language,
        }
    )
    from mobilise.core import dates

    env.filters.update({"date": date_format, "when": dates.when, "time_of_day": dates.time_of_day})
    env.globals["time_range"] = dates.time_range
    from mobilise.core import forms_govuk

    env.globals.update(forms_govuk.jinja_globals())
    return env
