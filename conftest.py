"""Fixtures every test can use. App-specific factories live in each app's tests/factories.py."""

import pytest

pytest_plugins = ["mobilise.core.testing.browser"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploads from one test never leak into another.
    settings.MEDIA_ROOT = tmp_path / "media"
