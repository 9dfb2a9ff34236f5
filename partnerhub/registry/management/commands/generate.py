import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partnerhub.reference.models import Goal
from partnerhub.registry.generate import partnerships_generate


class Command(BaseCommand):
    help = "Generate N realistic published partnerships (synthetic, for scale and search tests)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many partnerships to create")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same data)")

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if not Goal.objects.exists():
            raise CommandError("Load the reference data first: partnerhub load-reference")
        started = time.perf_counter()
        with tqdm(total=count, unit="partnerships", disable=options["verbosity"] == 0) as bar:
            created = partnerships_generate(count=count, seed=seed, progress=bar.update)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {created:,} partnerships in {seconds:.1f} s ({created / seconds:,.0f}/s)."
            )
        )
