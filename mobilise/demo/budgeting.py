"""Demo participatory budgeting."""


def demo_budgeting() -> None:
    return None
