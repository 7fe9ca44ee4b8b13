"""Deployment checks (`mobilise check --deploy`): settings that work on one machine but not on many.

Django's own deployment checks cover security headers and cookies; these cover what is ours.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    # Sign-in and conversation rate limits are counted in the cache. A per-process cache lets a
    # flood through at the limit times the number of web processes, and forgets on every restart.
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in LOCAL_CACHES:
        return [
            Warning(
                "The cache is kept inside each web process, so sign-in and conversation rate "
                "limits are counted separately by every process and reset on restart.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://cache:6379/0, or "
                "dbcache://mobilise_cache after running 'mobilise createcachetable'.",
                id="mobilise.W001",
            )
        ]
    return []


@register(deploy=True)
def check_background_tasks(app_configs, **kwargs):
    # The immediate backend runs e-mails, counts and stocktake PDFs inside the web request: fine in
    # tests, but a slow PDF then holds a web worker and a failure becomes the visitor's error page.
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == IMMEDIATE_TASKS:
        return [
            Warning(
                "Background work (e-mails, counts, stocktake packs) runs inside web requests.",
                hint="Leave TASKS_BACKEND unset (the database queue) and run 'mobilise db_worker'.",
                id="mobilise.W002",
            )
        ]
    return []
