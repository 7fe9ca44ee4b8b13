"""Fixtures every test can use. App-specific factories live in each app's tests/factories.py."""

import pytest

pytest_plugins = ["mobilise.core.testing.browser"]


@pytest.fixture(autouse=True)
def _english_by_default():
    # A request in Welsh leaves Welsh active in the thread; the next test must start in English.
    from django.utils import translation

    translation.activate("en-gb")
    yield
    translation.activate("en-gb")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploads from one test never leak into another.
    settings.MEDIA_ROOT = tmp_path / "media"
