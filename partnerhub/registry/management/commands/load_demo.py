from django.core.management.base import BaseCommand

from partnerhub.lifecycle.demo import demo_workspaces
from partnerhub.registry.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo organisations, partnerships and one login per role (idempotent)."

    def handle(self, *args, **options):
        counts = demo_load()
        workspaces = demo_workspaces()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {counts.partnerships} partnerships added, {counts.organisations} organisations, "
                f"{counts.users} demo logins (password in the README), {workspaces} workspaces."
            )
        )
