"""The Jinja2 environment for every page.

It adds the GOV.UK Frontend macros (``govuk_frontend_jinja/…``), Django's ``url`` and ``static``,
translations through Django's gettext, and the form helpers in ``mobilise.core.forms_govuk``.
"""

import logging
import sys
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone, translation
from jinja2 import (
    ChoiceLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    Undefined,
    UndefinedError,
    select_autoescape,
)

logger = logging.getLogger("mobilise.templates")

# The GOV.UK Frontend macros test their optional parameters by reading them (``{% if params.classes
# %}``), so an absent key is normal inside them; printing one is not (a table cell with neither
# ``text`` nor ``html`` is our mistake, whoever reads it; one given an empty ``html`` is empty).
_MACRO_PACKAGE = "govuk_frontend_jinja"


def _template_file() -> str:
    """The file of the nearest template on the stack (compiled templates run with ``__file__``
    and ``environment`` in their globals, and no ``__name__``)."""
    frame = sys._getframe(2)
    while frame is not None:
        globals_ = frame.f_globals
        if "environment" in globals_ and "__name__" not in globals_:
            return str(globals_.get("__file__", "?"))
        frame = frame.f_back
    return "?"


class LoudUndefined(Undefined):
    """A value a template asked for and did not get.

    Our templates may not use one: tests raise (``JINJA2_UNDEFINED = "strict"``), and elsewhere it
    renders as nothing and logs an error naming the template, so the public never sees debug text
    and the operators hear of it. The GOV.UK macros may test their own absent options, as they are
    written to.
    """

    __slots__ = ()
    strict = False

    def _complain(self, *, printing: bool = False) -> None:
        where = _template_file()
        if _MACRO_PACKAGE in where and not (printing and self._undefined_name is not None):
            return
        if _MACRO_PACKAGE in where and self._given_empty_html():
            return
        message = f"{self._undefined_message} in {where}"
        if self.strict:
            raise UndefinedError(message)
        logger.error("Template used an undefined value: %s", message)

    def _given_empty_html(self) -> bool:
        """A cell or value given ``{"html": ""}`` is empty on purpose (an action only some people
        have, say); the macros then print its absent ``text``, which is nothing, as meant."""
        owner = self._undefined_obj
        return self._undefined_name == "text" and isinstance(owner, dict) and "html" in owner

    def __str__(self) -> str:
        self._complain(printing=True)
        return ""

    def __bool__(self) -> bool:
        self._complain()
        return False

    def __iter__(self):  # type: ignore[override]
        self._complain()
        return iter(())

    def __len__(self) -> int:
        self._complain()
        return 0

    def __eq__(self, other: object) -> bool:
        self._complain()
        return type(self) is type(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return id(type(self))

    def __contains__(self, item: object) -> bool:
        self._complain()
        return False


class StrictLoudUndefined(LoudUndefined):
    __slots__ = ()
    strict = True


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
    # Never Django's DebugUndefined, which prints "{{ no such element … }}" to the public.
    strict = getattr(settings, "JINJA2_UNDEFINED", "log") == "strict"
    options["undefined"] = StrictLoudUndefined if strict else LoudUndefined
    env = Environment(**options)
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            # The layout's one optional value: a view whose errors are not a bound form's sets it.
            "page_has_errors": False,
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
