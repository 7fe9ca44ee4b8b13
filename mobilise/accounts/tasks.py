"""Background work for people's rights: building the ZIP of everything held about a person."""

from django_tasks import task


@task()
def build_data_export(*, export_id: int) -> str:
    """Build a person's data download. Safe to run twice: the one row is filled in place."""
    from . import services

    return services.data_export_build(export_id=export_id)
