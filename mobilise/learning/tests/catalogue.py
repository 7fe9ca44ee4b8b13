"""This app's pages for the URL sweeps in tests/url_catalogue.py (see its docstring)."""

PUBLIC: set[str] = {
    "learning:index",
    "learning:pilot_detail",
    "learning:pilot_comparison",
    "learning:pilot_results",
    "learning:pilot_results_csv",
}
SIGNED_IN: set[str] = set()
# The mission's leads register and change pilots.
PROTECTED: set[str] = {
    "learning:pilot_create",
    "learning:pilot_edit",
}


def build(world: dict) -> dict:
    """A running pilot in the world's place, whose plan was changed once after it started."""
    from .factories import PilotFactory

    pilot = PilotFactory(mission=world["mission"], places=[world["place"]])
    return {"pilot": pilot}


def url_values(world: dict) -> dict:
    return {"pilot_id": world["pilot"].pk}
