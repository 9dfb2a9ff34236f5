import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partnerhub.interop import exporting


class Command(BaseCommand):
    help = (
        "Export published partnerships (all, or those a browse search finds) as CSV, XLSX, JSON Lines or "
        "IATI 2.03 XML, oldest registration first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx", "jsonl", "iati"], default="csv")
        parser.add_argument(
            "-o", "--output", help="File to write (default, or -: standard output; XLSX needs a file)"
        )
        parser.add_argument("--q", default="", help="Search text, as on the browse page")
        parser.add_argument(
            "--filter", action="append", default=[], metavar="NAME=VALUE",
            help="A browse filter, as in the API (goal=14, country=FJI, region=009, stage=implementation …); repeatable",
        )  # fmt: skip

    def handle(self, *args, format, output, q, filter, **options):
        query: dict[str, list[str]] = {"q": [q]} if q else {}
        for item in filter:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter takes NAME=VALUE, not {item!r}.")
            query.setdefault(name.strip(), []).append(value.strip())
        try:
            params = exporting.search_params(query)
        except ValidationError as error:
            raise CommandError(f"Bad filter: {error.messages}") from None
        if output == "-":
            output = None
        if format == "xlsx" and not output:
            raise CommandError("XLSX is a binary file: give -o FILE.")
        quiet = options["verbosity"] == 0 or not output
        rows = tqdm(exporting.export_rows(params, details=format in ("jsonl", "iati")), unit="rows",
                    disable=quiet, file=sys.stderr)  # fmt: skip
        if format == "xlsx":
            try:
                count = exporting.write_xlsx(rows, output)
            except ValueError as error:
                raise CommandError(str(error)) from None
        else:
            lines = self._lines(format, rows)
            if output:
                with Path(output).open("w", encoding="utf-8", newline="") as out:
                    count = _write(lines, out)
            else:
                count = _write(lines, self.stdout._out)
        rows.close()
        if output and options["verbosity"]:
            self.stderr.write(f"Wrote {output}.")
        return None if count is None else ""

    @staticmethod
    def _lines(format: str, rows):
        if format == "csv":
            return exporting.csv_lines(rows)
        if format == "jsonl":
            return exporting.jsonl_lines(rows)
        from partnerhub.interop.iati import iati_chunks

        return iati_chunks(rows)


def _write(lines, out) -> int:
    count = 0
    for line in lines:
        out.write(line)
        count += 1
    return count
