from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (e-mail notifications, and the periodic jobs of later modules)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Process the queue once and exit.")

    def handle(self, *args, batch, **options):
        call_command("db_worker", batch=batch, interval=1)
