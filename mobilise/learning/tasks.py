"""Background work for pilots: running the evaluation engine."""

from django_tasks import task


@task()
def compute_evaluation(*, pilot_id: int) -> str:
    """Evaluate a pilot. Safe to run twice: the one evaluation row is updated in place."""
    from . import services
    from .models import Pilot

    pilot = Pilot.objects.filter(pk=pilot_id).first()
    if pilot is None:
        return "gone"
    return services.evaluation_compute(pilot=pilot).status
