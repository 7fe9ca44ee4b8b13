"""This app's pages for the URL sweeps in tests/url_catalogue.py (see its docstring)."""

PUBLIC: set[str] = {
    "learning:index",
    "learning:pilot_detail",
    "learning:pilot_comparison",
    "learning:pilot_results",
    "learning:pilot_results_csv",
    "learning:library",
    "learning:learning_detail",
}
# Anyone signed in may start a replication; the page says who can register one.
SIGNED_IN: set[str] = {"learning:pilot_replicate"}
# The mission's leads register and change pilots.
PROTECTED: set[str] = {
    "learning:pilot_create",
    "learning:pilot_edit",
    "learning:learning_create",
    "learning:learning_edit",
}


def build(world: dict) -> dict:
    """A pilot in the world's place and a learning recorded from it."""
    from mobilise.learning.models import Learning

    from .factories import PilotFactory

    pilot = PilotFactory(mission=world["mission"], places=[world["place"]])
    learning = Learning.objects.create(
        mission=world["mission"],
        title="Closing school streets cut drop-off traffic",
        summary="Traffic fell by a third.",
        evidence_level=3,
    )
    learning.pilots.add(pilot)
    return {"pilot": pilot, "learning": learning}


def url_values(world: dict) -> dict:
    return {"pilot_id": world["pilot"].pk, "learning_id": world["learning"].pk}
