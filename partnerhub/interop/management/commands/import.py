import json
import sys

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partnerhub.interop.readers import FORMATS
from partnerhub.interop.services import import_file


class Command(BaseCommand):
    help = (
        "Import partnerships from a CSV, XLSX, JSON Lines or IATI XML file (docs/import-format.md). Every "
        "row is checked first; with any problem nothing is written and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import (-: standard input, with --format)")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file name's extension")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and say what would change; write nothing"
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish new partnerships (default: drafts)"
        )
        parser.add_argument("--user", help="Username recorded as creator and focal point (default: none)")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON")

    def handle(self, *args, file, format, dry_run, publish, user, json: bool, **options):
        author = None
        if user:
            author = User.objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"No user named {user}.")
        quiet = options["verbosity"] == 0 or json
        bars: dict[str, tqdm] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if quiet:
                return
            if stage not in bars:
                for bar in bars.values():
                    bar.close()
                bars[stage] = tqdm(total=total or None, unit="rows", desc=stage, file=sys.stderr)
            bar = bars[stage]
            bar.update(done - bar.n)

        source = sys.stdin.buffer if file == "-" else file
        try:
            result = import_file(
                source, fmt=format, user=author, publish=publish, dry_run=dry_run, progress=progress
            )
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        finally:
            for bar in bars.values():
                bar.close()
        if json:
            self.stdout.write(_json(result.as_dict()))
        else:
            for note in result.notes:
                self.stdout.write(note)
            for problem in result.problems:
                self.stderr.write(str(problem))
            if result.ok:
                self.stdout.write(self.style.SUCCESS(result.summary()))
        if not result.ok:
            count = len(result.problems)
            raise CommandError(f"Refused: {count} problem{'' if count == 1 else 's'}; nothing was written.")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
