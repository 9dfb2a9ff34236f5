import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partnerhub.reference.models import Goal
from partnerhub.registry.generate import partnerships_generate
from partnerhub.registry.models import SearchDocument
from partnerhub.registry.search.engines import current_engine


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
        quiet = options["verbosity"] == 0
        started = time.perf_counter()
        with tqdm(total=count, unit="partnerships", desc="database", disable=quiet) as bar:
            created = partnerships_generate(count=count, seed=seed, progress=bar.update)
        generated = time.perf_counter()
        engine = current_engine()
        total = SearchDocument.objects.filter(visible=True).count()
        with tqdm(total=total, unit="documents", desc=f"search index ({engine.name})", disable=quiet) as bar:
            engine.sync(progress=bar.update)
        indexed = time.perf_counter()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {created:,} partnerships in {generated - started:.1f} s "
                f"({created / (generated - started):,.0f}/s); search index up to date in "
                f"{indexed - generated:.1f} s; {created / (indexed - started):,.0f}/s overall."
            )
        )
