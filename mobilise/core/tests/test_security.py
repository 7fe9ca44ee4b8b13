"""The security baseline holds in production settings, checked by Django's own deployment checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "ALLOWED_HOSTS",
            "SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "mobilise.settings.production",
            "SECRET_KEY": "x7Gq2Lr9vT4mZp1sWc8kYb3nHd6fJa0eUo5iRl2tXg9qVz4yBw1cNe7mKs3hPj6d",
            "DATABASE_URL": "postgres://mobilise@localhost/mobilise",
            "ALLOWED_HOSTS": "missions.example.gov.uk",
            "CACHE_URL": "dbcache://mobilise_cache",
        }
    )
    env.update(extra)
    return env


def test_production_passes_djangos_deployment_checks():
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_shared_cache_is_warned_about():
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(CACHE_URL="locmemcache://"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "mobilise.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [({"DEBUG": "true"}, "DEBUG must be off"), ({"DATABASE_URL": "sqlite:///x.db"}, "PostgreSQL")],
)
def test_production_refuses_unsafe_configuration(extra, message):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=_production_env(**extra),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_passwords_are_hashed_with_argon2_outside_tests():
    from mobilise.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_content_security_policy_allows_no_inline_script_or_style():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert "'unsafe-inline'" not in directives["script-src"] + directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]
