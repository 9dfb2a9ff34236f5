"""Bulk export endpoints: the published partnerships a browse search lists, streamed as CSV, JSON Lines or
IATI XML (`/api/v1/export/partnerships.csv?goal=14&country=FJI`), or as an XLSX workbook; and import jobs
for the secretariat (`/api/v1/imports/`)."""

import tempfile

from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from partnerhub.core.api import RulesPermission

from . import exporting
from .jobs import import_job_create, job_progress
from .models import ImportJob
from .readers import FORMATS

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


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(
        help_text='While running: {"stage": "checking" | "writing", "done": rows, "total": rows (0 while unknown)}.'
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:import-job-detail")

    class Meta:
        model = ImportJob
        fields = ["id", "url", "file_name", "format", "publish", "dry_run", "status", "progress", "result",
                  "created_at", "started_at", "finished_at"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_progress(self, job: ImportJob) -> dict | None:
        return job_progress(job)


class ImportJobCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, XLSX, JSON Lines or IATI XML (docs/import-format.md)")
    format = serializers.ChoiceField(choices=FORMATS, required=False, help_text="Default: from the file name")
    publish = serializers.BooleanField(default=False, help_text="Publish new partnerships (default: drafts)")
    dry_run = serializers.BooleanField(default=False, help_text="Check and count; write nothing")


class ImportJobViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Imports of partnerships from a file, for the secretariat. POST a file (multipart): the answer is
    202 with the job, which the worker then runs; GET the job until its status is done, refused or
    failed. Its `result` then says what was created and updated, or lists every problem (line, column,
    reason) when the file was refused and nothing was written."""

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobSerializer
    permission_classes = [RulesPermission]
    parser_classes = [MultiPartParser, FormParser]
    rules_permissions = dict.fromkeys(("create", "list", "retrieve"), "interop.import_partnerships")

    @extend_schema(request=ImportJobCreateSerializer, responses={202: ImportJobSerializer})
    def create(self, request, *args, **kwargs):
        given = ImportJobCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            job = import_job_create(
                upload=data["file"], user=request.user, fmt=data.get("format"), publish=data["publish"],
                dry_run=data["dry_run"],
            )  # fmt: skip
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        shown = self.get_serializer(job).data
        return Response(shown, status=status.HTTP_202_ACCEPTED, headers={"Location": shown["url"]})
