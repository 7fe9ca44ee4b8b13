"""Background work for conversations: recomputing the opinion analysis after new votes."""

from django.utils import timezone
from django_tasks import task

# Snapshots kept per conversation: the latest is read; a few more show how it moved.
KEEP_ANALYSES = 5


@task()
def recompute_analysis(*, conversation_id: int) -> int:
    """Analyse the conversation's votes now and store the snapshot; returns the votes counted.

    The pending flag is cleared *before* the votes are read, so a vote arriving while this runs
    sets it again and queues the next recompute: no vote is left out of the analysis for long,
    and a burst of votes costs one recompute at a time (see ``services.analysis_request``).
    """
    from .analysis import analyse
    from .models import Analysis, Conversation

    Conversation.objects.filter(pk=conversation_id).update(recompute_pending=False)
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return 0
    result, counted = analyse(conversation)
    Analysis.objects.create(
        conversation=conversation, computed_at=timezone.now(), votes_counted=counted, result=result
    )
    old = Analysis.objects.filter(conversation=conversation).values_list("pk", flat=True)[
        KEEP_ANALYSES:
    ]
    Analysis.objects.filter(pk__in=list(old)).delete()
    return counted
