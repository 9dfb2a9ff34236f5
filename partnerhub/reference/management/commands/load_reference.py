from django.core.management.base import BaseCommand

from partnerhub.reference.services import reference_load


class Command(BaseCommand):
    help = "Load or refresh the shipped reference data (SDGs, M49 areas, currencies)."

    def handle(self, *args, **options):
        counts = reference_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data loaded: {counts.goals} goals, {counts.targets} targets, "
                f"{counts.indicators} indicators, {counts.areas} areas, {counts.currencies} currencies."
            )
        )
