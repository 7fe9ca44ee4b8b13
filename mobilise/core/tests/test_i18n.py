"""Welsh-ready: every template's text can be extracted for translation, and Welsh is served when chosen."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parents[3]


def _extracted_messages() -> set[str]:
    method_map = [("mobilise/**/jinja2/**.html", "jinja2"), ("mobilise/**.py", "python")]
    options = {"mobilise/**/jinja2/**.html": {"extensions": "jinja2.ext.do"}}
    return {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, options_map=options
        )
    }


def test_text_in_jinja_templates_and_python_is_extracted():
    messages = _extracted_messages()
    assert "Skip to main content" in messages  # base layout (Jinja)
    assert "Accessibility statement" in messages  # footer (Jinja)
    assert "There is a problem" in messages  # form error summary (Python)


@pytest.mark.django_db
def test_pages_are_served_in_welsh_when_chosen(client):
    client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="cy"' in html
    assert "Neidio i’r prif gynnwys" in html
    assert "Cenadaethau" in html


def test_the_welsh_catalogue_is_compiled_from_its_source():
    po = ROOT / "mobilise/locale/cy/LC_MESSAGES/django.po"
    mo = po.with_suffix(".mo")
    assert po.exists() and mo.exists(), "run `make install` to compile the Welsh catalogue"
