"""This app's pages for the URL sweeps in tests/url_catalogue.py (see its docstring)."""

PUBLIC: set[str] = set()
SIGNED_IN: set[str] = set()
PROTECTED: set[str] = set()


def build(world: dict) -> dict:
    """Objects this app's pages need, added to the shared world (which has place, mission, lead, …)."""
    return {}


def url_values(world: dict) -> dict:
    """Values for this app's URL parameters (overriding the shared ones, e.g. ``slug``)."""
    return {}
