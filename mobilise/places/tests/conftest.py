import pytest
from django.core.cache import cache
from django.db import transaction

from mobilise.places import services
from mobilise.places.sources import SHIPPED_GEO_DIR


@pytest.fixture(autouse=True)
def _fresh_map_cache():
    # Place maps are cached by data version; a test must never see another test's drawing.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def shipped_places(django_db_setup, django_db_blocker):
    """The shipped boundaries, loaded once per test module (about a second) and rolled back after it.

    Each test still runs in its own savepoint inside this transaction, so what a test changes is
    undone before the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        summary = services.places_load(path=SHIPPED_GEO_DIR)
        yield summary
        transaction.set_rollback(True)
