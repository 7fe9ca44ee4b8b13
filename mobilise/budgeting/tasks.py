"""Background work for budget rounds: counting the vote once it closes."""

from django_tasks import task


@task()
def compute_result(*, round_id: int) -> list[int]:
    """Count a closed round. Safe to run twice: the result and delivery items are updated in place."""
    from . import services
    from .models import BudgetRound

    round_ = BudgetRound.objects.select_related("place").get(pk=round_id)
    return services.result_compute(round_=round_).selected
