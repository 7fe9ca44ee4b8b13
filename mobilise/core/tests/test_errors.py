import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_not_found_page_is_a_govuk_page(client):
    response = client.get("/missions/no-such-mission/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_a_request(settings):
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Sorry, there is a problem with the service" in html


def test_csrf_is_enforced_on_forms():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "cy"})
    assert response.status_code == 403


def test_suite_runs_on_the_database_it_was_given():
    """`make test-postgres` must really exercise PostgreSQL, not fall back to SQLite."""
    import os

    from django.db import connection

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected
