import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["home", "core:accessibility", "core:privacy", "core:cookies", "core:data_sources"]
)
def test_service_pages_render_for_anyone(client, name):
    from django.urls import reverse

    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-template"' in html
    assert "Accessibility statement" in html  # footer link on every page


def test_inline_script_carries_the_csp_nonce(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "unsafe-inline" not in policy


def test_healthz_reaches_the_database(client):
    assert client.get("/healthz").content == b"ok"


def test_welsh_can_be_chosen_without_javascript(client):
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="cy"' in html
