import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from partnerhub.registry.models import SearchDocument
from partnerhub.registry.search.engines import current_engine
from partnerhub.registry.search.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search documents of all partnerships, then the search index."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\rIndexed {done:,} / {total:,}")
            sys.stderr.flush()

        with transaction.atomic():
            count = reindex_all(progress=progress, catch_up=False)
        sys.stderr.write("\n")
        engine = current_engine()
        total = SearchDocument.objects.filter(visible=True).count()
        with tqdm(total=total, unit="documents", desc=f"search index ({engine.name})") as bar:
            engine.sync(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count:,} partnerships."))
