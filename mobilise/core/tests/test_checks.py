"""`mobilise check --deploy` warns about settings that only work on one machine."""

from django.core.checks import run_checks


def _ours():
    return [
        m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("mobilise.")
    ]


def test_a_per_process_cache_is_warned_about(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "mobilise.W001" in _ours()


def test_a_shared_cache_is_not(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mobilise_cache",
        }
    }
    assert "mobilise.W001" not in _ours()


def test_background_work_in_web_requests_is_warned_about(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert "mobilise.W002" in _ours()


def test_the_database_queue_is_not(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "mobilise.W002" not in _ours()


def test_the_checks_only_run_for_deploy():
    assert not [m for m in run_checks() if m.id.startswith("mobilise.")]
