"""A template may not use a value it was not given: tests fail on it, the public never sees debug text.

Django's Jinja2 backend would use DebugUndefined under DEBUG (printing "{{ no such element: … }}" on
the page, as a pledge's evidence column once did) and a silent Undefined otherwise.
"""

import logging

import pytest
from django.template import engines
from jinja2 import UndefinedError

from mobilise.templating import LoudUndefined, StrictLoudUndefined

TABLE = (
    '{% from "govuk_frontend_jinja/components/table/macro.html" import govukTable %}'
    "{{ govukTable({'rows': rows}) }}"
)


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_tests_render_strictly():
    assert engines["jinja2"].env.undefined is StrictLoudUndefined


@pytest.mark.parametrize(
    "source",
    [
        "{{ missing }}",
        "{% if missing %}yes{% endif %}",
        "{{ pledge.missing }}",
        "{% for x in missing %}{{ x }}{% endfor %}",
        "{{ 'a' if missing == 1 else 'b' }}",
    ],
)
def test_an_undefined_value_fails_the_render(source):
    with pytest.raises(UndefinedError):
        render(source, pledge={"title": "Room"})


def test_a_table_cell_without_text_or_html_fails_even_inside_the_govuk_macro():
    with pytest.raises(UndefinedError, match="text"):
        render(TABLE, rows=[[{"text": "1 May 2026"}, {"format": "numeric"}]])


def test_a_cell_given_empty_html_is_an_empty_cell():
    # The pledge page's evidence column once printed "{{ no such element: dict object['text'] }}"
    # here under Django's DebugUndefined; an empty "html" is an empty cell, on purpose.
    html = render(TABLE, rows=[[{"text": "1 May 2026"}, {"html": ""}]])
    assert '<td class="govuk-table__cell"></td>' in " ".join(html.split()).replace("> <", "><")


def test_the_govuk_macros_may_still_test_their_own_absent_options():
    html = render(TABLE, rows=[[{"text": "1 May 2026"}, {"text": "12", "format": "numeric"}]])
    assert "1 May 2026" in html and "govuk-table__cell--numeric" in html


def test_a_page_that_reads_a_value_it_was_not_given_fails_its_page_test(client, settings, tmp_path):
    """The whole chain as a page test sees it: the accessibility statement, shadowed by a template
    that prints a value the view does not pass, raises instead of answering."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "accessibility.html").write_text(
        '{% extends "base.html" %}{% block title %}A{% endblock %}'
        "{% block main_content %}{{ statement.date }}{% endblock %}"
    )
    jinja = {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [jinja, *settings.TEMPLATES[1:]]
    with pytest.raises(UndefinedError, match="statement"):
        client.get("/accessibility/")


def test_outside_tests_an_undefined_value_renders_as_nothing_and_logs_an_error(caplog):
    env = engines["jinja2"].env.overlay(undefined=LoudUndefined)
    with caplog.at_level(logging.ERROR, logger="mobilise.templates"):
        html = env.from_string("<p>{{ missing }}</p>").render()
    assert html == "<p></p>"
    assert "no such element" not in html
    assert "'missing' is undefined" in caplog.text
