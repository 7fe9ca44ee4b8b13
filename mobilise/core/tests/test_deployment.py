"""Behind the TLS proxy the README asks for, and in front of the load balancer that probes it."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(SECURE_SSL_REDIRECT=True)  # production's value (the test settings turn it off)
def test_a_load_balancer_probing_over_http_gets_ok_and_everyone_else_goes_to_https(client):
    probe = client.get("/healthz")  # straight to the web process: no X-Forwarded-Proto
    assert (probe.status_code, probe.content) == (200, b"ok")

    visitor = client.get("/missions/")
    assert visitor.status_code == 301
    assert visitor["Location"] == "https://testserver/missions/"
