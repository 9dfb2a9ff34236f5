import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load reference and demo data, then serve the demo site with a background worker."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database but do not serve.")

    def handle(self, *args, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("load_reference")
        call_command("load_demo")
        if not no_serve:
            # The worker runs imports, notifications and screening; it stops when the server (which
            # replaces this process) stops.
            subprocess.Popen([sys.executable, "-m", "partnerhub.cli", "worker", "--stop-with-parent"])
            call_command("serve")
