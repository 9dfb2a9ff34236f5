from django.core.management.base import BaseCommand

from partnerhub.registry.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo organisations, partnerships and one login per role (idempotent)."

    def handle(self, *args, **options):
        counts = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {counts.partnerships} partnerships added, {counts.organisations} organisations, "
                f"{counts.users} demo logins (password in the README)."
            )
        )
