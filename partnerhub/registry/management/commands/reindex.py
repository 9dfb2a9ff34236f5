import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from partnerhub.registry.search.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of all partnerships."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\rIndexed {done:,} / {total:,}")
            sys.stderr.flush()

        with transaction.atomic():
            count = reindex_all(progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count:,} partnerships."))
