"""Background work: stocktake packs take seconds to print, so a worker does it."""

from django_tasks import task


@task()
def generate_pack(*, pack_id: int, base_url: str = "") -> str:
    from .services import pack_generate

    return pack_generate(pack_id=pack_id, base_url=base_url).status
