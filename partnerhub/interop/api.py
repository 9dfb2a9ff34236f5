"""Bulk export endpoints: the published partnerships a browse search lists, streamed as CSV, JSON Lines or
IATI XML (`/api/v1/export/partnerships.csv?goal=14&country=FJI`), or as an XLSX workbook."""

import tempfile

from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import exporting

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
def export_partnerships(request, extension: str):
    """Stream the export; the query string takes the browse filters (q, goal, target, country, region,
    group, organisation_type, category, stage, compliance, smart …). A bad filter gets a 400 with the
    reason, before anything is streamed."""
    try:
        params = exporting.search_params(request.GET)
    except ValidationError as error:
        return JsonResponse(
            {"errors": error.message_dict if hasattr(error, "error_dict") else error.messages}, status=400
        )
    filename = f"partnerships-{timezone.localdate().isoformat()}.{extension}"
    rows = exporting.export_rows(params, details=extension in ("jsonl", "xml"))
    if extension == "xlsx":
        spool = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
        try:
            exporting.write_xlsx(rows, spool)
        except ValueError as error:
            spool.close()
            return JsonResponse({"errors": [str(error)]}, status=400)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=filename, content_type=MEDIA_TYPES["xlsx"])
    if extension == "csv":
        lines = exporting.csv_lines(rows)
    elif extension == "jsonl":
        lines = exporting.jsonl_lines(rows)
    else:
        from .iati import iati_chunks

        lines = iati_chunks(rows)
    response = StreamingHttpResponse(lines, content_type=MEDIA_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
