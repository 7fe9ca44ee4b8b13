"""Demo assurance."""


def demo_assurance() -> None:
    return None
