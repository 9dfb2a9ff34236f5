import gzip
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


def open_list(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


class Command(BaseCommand):
    help = (
        "`sanctions import FILE`: load the UN Security Council Consolidated List (XML) and screen every "
        "organisation again. `sanctions evaluate FILE`: precision and recall of the name matching on a test "
        "set built from that list."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "evaluate"])
        parser.add_argument("file", type=Path, help="The list's XML file (or .xml.gz)")
        parser.add_argument("--json", action="store_true", help="evaluate: print one JSON line")

    def handle(self, *args, action, file, json: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if action == "evaluate":
            return self._evaluate(file, as_json=json)
        from partnerhub.diligence.services import sanctions_import

        try:
            with open_list(file) as source:
                edition = sanctions_import(source, name=file.name)
        except ValidationError as error:
            raise CommandError("The list was not imported:\n- " + "\n- ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {edition.individuals} individuals and {edition.entities} entities "
                f"(list generated {edition.generated_at:%Y-%m-%d}); organisations are being screened again."
            )
        )

    def _evaluate(self, file: Path, *, as_json: bool) -> None:
        from partnerhub.diligence.evaluation import evaluate

        with open_list(file) as source:
            result = evaluate(source)
        if as_json:
            self.stdout.write(json.dumps(result["summary"]))
            return
        for name, figures in result["by_kind"].items():
            self.stdout.write(f"{name:<16} {figures}")
        self.stdout.write(json.dumps(result["summary"]))
        for miss in result["errors"][:20]:
            self.stdout.write(f"  {miss}")
