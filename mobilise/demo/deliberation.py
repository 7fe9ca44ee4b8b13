"""Demo deliberation."""


def demo_deliberation() -> None:
    return None
