"""What every coalition selector shares."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from mobilise.places.models import Place

_HEAVY = ("boundary", "bbox")
# Matches scoring below this are not worth a person's time.
MIN_MATCH_SCORE = 0.5
MAX_SUGGESTIONS = 10


def _light_places() -> QuerySet[Place]:
    return Place.objects.defer(*_HEAVY)


def _today() -> dt.date:
    return timezone.localdate()
