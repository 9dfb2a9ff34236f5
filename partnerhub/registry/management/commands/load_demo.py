from django.core.management.base import BaseCommand

from partnerhub.lifecycle.demo import demo_workspaces
from partnerhub.matching.demo import demo_matching
from partnerhub.registry.demo import demo_load
from partnerhub.reporting.demo import demo_reporting


class Command(BaseCommand):
    help = "Load the demo organisations, partnerships and one login per role (idempotent)."

    def handle(self, *args, **options):
        counts = demo_load()
        workspaces = demo_workspaces()
        histories = demo_reporting()
        matching = demo_matching()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {counts.partnerships} partnerships added, {counts.organisations} organisations, "
                f"{counts.users} demo logins (password in the README), {workspaces} workspaces, "
                f"{histories} reporting histories, {matching} needs, offers and pitches."
            )
        )
