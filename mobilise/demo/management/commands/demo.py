from django.core.management.base import BaseCommand

from mobilise.demo import content
from mobilise.demo.services import demo_build


class Command(BaseCommand):
    help = "Load places and build the demo: five national missions and the London Borough of Camden's own."

    def handle(self, *args, **options):
        summary = demo_build()
        self.stdout.write(
            f"Demo ready: {summary.places} places, {summary.organisations} organisations, "
            f"{summary.users} people, {len(summary.missions)} missions."
        )
        self.stdout.write(
            f"Sign in with any demo e-mail in the README and the password {content.DEMO_PASSWORD!r}."
        )
