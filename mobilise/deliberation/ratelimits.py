"""Flood limits for voting and adding statements, counted in Django's cache.

A fixed window per (action, who): cheap enough for every vote, and shared between web processes
when the cache is (``CACHE_URL``, as for sign-in limits). Limits are generous for a person and
tight for a script: a resident reads each statement before voting, so 120 votes a minute from one
participant is already far beyond reading speed.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    action: str
    count: int
    seconds: int


VOTES_PER_PARTICIPANT = Limit("vote", 120, 60)
STATEMENTS_PER_PARTICIPANT = Limit("statement", 10, 3600)
# New anonymous participants from one address (a school or library shares one address).
NEW_PARTICIPANTS_PER_ADDRESS = Limit("new-participant", 300, 3600)


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def exceeded(limit: Limit, who: str) -> bool:
    """Count one use by ``who``; True when this use is over the limit."""
    key = f"deliberation-rl:{limit.action}:{who}"
    cache.add(key, 0, timeout=limit.seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds)
        used = 1
    return used > limit.count
