import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from partnerhub.registry.search.engines import current_engine


class Command(BaseCommand):
    help = "Serve the site with gunicorn on 127.0.0.1:$PORT (default 8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args, host, port, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        # Bring the search index up to date before taking requests: after a migration or a restore it may
        # have to rebuild, which should not happen inside somebody's first search.
        current_engine().sync()
        self.stdout.write(
            self.style.SUCCESS(f"Partnership Hub is running on http://{host}:{port}/ (Ctrl+C stops it)")
        )
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "partnerhub.wsgi:application", "-c", "python:partnerhub.gunicorn_config",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
        ]  # fmt: skip
        if settings.DEBUG:
            argv.append("--reload")
        os.execvp(argv[0], argv)
