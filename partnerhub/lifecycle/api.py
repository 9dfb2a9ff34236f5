"""REST API of the workspace, under /api/v1/partnerships/{id}/:

- `lifecycle/` — the derived stage and the framework with this partnership's task states;
  `lifecycle/tasks/{code}/` — PUT/PATCH one task's state, owner, notes and date;
- one endpoint per record kind (`risks/`, `activities/`, `health-checks/`, … see sections.KINDS): list and
  create; `{kind}/{id}/` read, update, delete. Governance, scaling plan and moving on are one record per
  partnership: `{kind}/` reads it and PUT creates or changes it.

Reads follow the pages: the partnership's members read everything, the public what a published partnership
chose to publish. Writes go through lifecycle.services with the same permission names as the pages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from partnerhub.core.api import acting_user
from partnerhub.registry import selectors as registry_selectors
from partnerhub.registry.models import Partner, Partnership

from . import selectors, services
from .framework import TASKS
from .models import Agreement, Review, TaskState
from .rules import can_read_section, readable_records, write_access
from .sections import KINDS, RecordKind


def _partnership(request, pk) -> Partnership:
    visible = registry_selectors.partnership_visible_queryset(user=request.user)
    return get_object_or_404(Partnership.objects.filter(pk__in=visible.values("pk")), pk=pk)


class TaskStateWriteSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=TaskState.State.choices)
    owner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), allow_null=True, required=False,
                                               help_text="A partner (id) of this partnership")  # fmt: skip
    notes = serializers.CharField(allow_blank=True, required=False)
    date = serializers.DateField(allow_null=True, required=False)


TASK_SCHEMA = inline_serializer("LifecycleTask", {
    "code": serializers.CharField(), "title": serializers.CharField(), "guidance": serializers.CharField(),
    "artefact": serializers.CharField(), "state": serializers.ChoiceField(choices=TaskState.State.choices),
    "state_label": serializers.CharField(), "owner": serializers.CharField(allow_null=True),
    "notes": serializers.CharField(), "date": serializers.DateField(allow_null=True),
})  # fmt: skip
LIFECYCLE_SCHEMA = inline_serializer("Lifecycle", {
    "stage": serializers.ChoiceField(choices=Partnership.Stage.choices), "stage_label": serializers.CharField(),
    "modules": inline_serializer("LifecycleModule", {
        "code": serializers.CharField(), "title": serializers.CharField(), "stage": serializers.CharField(),
        "steps": inline_serializer("LifecycleStep", {
            "number": serializers.IntegerField(), "title": serializers.CharField(),
            "tasks": type(TASK_SCHEMA)(many=True),  # the same component, as a list
        }, many=True),
    }, many=True),
})  # fmt: skip


class LifecycleViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        responses=LIFECYCLE_SCHEMA,
        summary="Derived stage and the framework with this partnership's task states",
    )
    def retrieve(self, request, partnership_pk=None):
        partnership = _partnership(request, partnership_pk)
        if not can_read_section(request.user, partnership, "checklist"):
            raise Http404
        return Response(_plain(selectors.checklist(partnership)))

    @extend_schema(request=TaskStateWriteSerializer, responses=TASK_SCHEMA, summary="Set one task's state")
    def update(self, request, partnership_pk=None, code=None):
        partnership = _partnership(request, partnership_pk)
        if code not in TASKS:
            raise Http404
        current = (
            TaskState.objects.filter(partnership=partnership)
            .filter(task=code)
            .select_related("owner")
            .first()
        )
        user = acting_user(request)
        if not (user.has_perm("lifecycle.manage_workspace", partnership) or (
            current is not None and user.has_perm("lifecycle.change_taskstate", current)
        )):  # fmt: skip
            raise PermissionDenied
        serializer = TaskStateWriteSerializer(data=request.data, partial=request.method == "PATCH")
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.task_update(
            partnership=partnership, code=code, author=user,
            state=data.get("state", current.state if current else TaskState.State.NOT_STARTED),
            owner=data.get("owner", current.owner if current else None),
            notes=data.get("notes", current.notes if current else ""),
            when=data.get("date", current.date if current else None),
        )  # fmt: skip
        task = next(
            t
            for m in selectors.checklist(partnership)["modules"]
            for s in m["steps"]
            for t in s["tasks"]
            if t["code"] == code
        )
        return Response(_plain(task))

    partial_update = update


def _plain(value):
    """Dates as ISO strings (the checklist is built for templates as well)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "progress"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _serializer_class(kind: RecordKind):
    attrs: dict = {"Meta": type("Meta", (), {"model": kind.model, "fields": ["id", *kind.fields]})}
    if kind.model is Agreement:
        attrs["covers"] = serializers.ListField(
            child=serializers.ChoiceField(choices=Agreement.Clause.choices), required=False
        )
        attrs["document"] = serializers.FileField(write_only=True, required=False,
                                                  help_text="PDF, ODT or DOCX (multipart upload)")  # fmt: skip
        attrs["document_name"] = serializers.CharField(read_only=True)
        attrs["Meta"].fields = [*attrs["Meta"].fields, "document", "document_name"]
    if kind.model is Review:
        attrs["author"] = serializers.SlugRelatedField(slug_field="username", read_only=True)
        attrs["Meta"].fields = [*attrs["Meta"].fields, "author"]
    name = kind.model.__name__ + "RecordSerializer"
    return type(name, (serializers.ModelSerializer,), attrs)


class RecordViewSet(viewsets.ViewSet):
    """List, create, read, change and delete one kind of workspace record (subclassed per kind below)."""

    kind: RecordKind
    serializer_class: type[serializers.ModelSerializer]
    permission_classes = [IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _readable(self, request, partnership):
        records = readable_records(request.user, partnership, self.kind)
        if records is None:
            raise Http404
        return records

    def _write(self, request, partnership, record, *, partial: bool):
        user = acting_user(request)
        kind = self.kind
        allowed, all_fields = write_access(user, partnership, kind, record)
        if not allowed:
            raise PermissionDenied
        serializer = self.serializer_class(record, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not all_fields:
            refused = sorted(set(data) - set(kind.contributor_fields))
            if refused:
                raise serializers.ValidationError(
                    {name: ["Only the focal points may change this."] for name in refused}
                )
        document = data.pop("document", None)
        m2m = {name: data.pop(name) for name in kind.m2m if name in data}
        instance = record or kind.model(partnership=partnership)
        for name, value in data.items():
            setattr(instance, name, value)
        if isinstance(instance, Review) and instance.author_id is None:
            instance.author = user
        services.record_save(instance, author=user, m2m=m2m, document=document)
        return Response(self.serializer_class(instance).data,
                        status=status.HTTP_201_CREATED if record is None else status.HTTP_200_OK)  # fmt: skip

    def list(self, request, partnership_pk=None):
        partnership = _partnership(request, partnership_pk)
        return Response(self.serializer_class(self._readable(request, partnership), many=True).data)

    def get_singleton(self, request, partnership_pk=None):
        """The partnership's one record of this kind (governance, scaling plan, moving on): an object."""
        record = self._readable(request, _partnership(request, partnership_pk)).first()
        if record is None:
            raise Http404
        return Response(self.serializer_class(record).data)

    def create(self, request, partnership_pk=None):
        partnership = _partnership(request, partnership_pk)
        if self.kind.singleton:
            raise serializers.ValidationError(
                {"detail": ["Use PUT on this endpoint: there is one per partnership."]}
            )
        return self._write(request, partnership, None, partial=False)

    def put_singleton(self, request, partnership_pk=None):
        partnership = _partnership(request, partnership_pk)
        record = self.kind.model._default_manager.filter(partnership=partnership).first()
        return self._write(
            request, partnership, record, partial=record is not None and request.method == "PATCH"
        )

    def retrieve(self, request, partnership_pk=None, pk=None):
        partnership = _partnership(request, partnership_pk)
        return Response(
            self.serializer_class(get_object_or_404(self._readable(request, partnership), pk=pk)).data
        )

    def update(self, request, partnership_pk=None, pk=None):
        partnership = _partnership(request, partnership_pk)
        record = get_object_or_404(self._readable(request, partnership), pk=pk)
        return self._write(request, partnership, record, partial=request.method == "PATCH")

    partial_update = update

    def destroy(self, request, partnership_pk=None, pk=None):
        partnership = _partnership(request, partnership_pk)
        record = get_object_or_404(self._readable(request, partnership), pk=pk)
        user = acting_user(request)
        if not user.has_perm(self.kind.change_perm, partnership):
            raise PermissionDenied
        services.record_delete(record, author=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter()
PREFIX = r"partnerships/(?P<partnership_pk>[0-9]+)"
VIEWSETS: dict[str, type[RecordViewSet]] = {}
for _kind in KINDS.values():
    _serializer = _serializer_class(_kind)
    _viewset = extend_schema(tags=["workspace"])(
        type(
            f"{_kind.model.__name__}ViewSet",
            (RecordViewSet,),
            # `queryset` only tells the schema generator the type of `{id}`; reads go through `_readable`.
            {"kind": _kind, "serializer_class": _serializer, "queryset": _kind.model._default_manager.none()},
        )
    )
    VIEWSETS[_kind.key] = _viewset
    if not _kind.singleton:
        router.register(f"{PREFIX}/{_kind.key}", _viewset, basename=f"workspace-{_kind.key}")

_lifecycle = LifecycleViewSet.as_view({"get": "retrieve"})
_task = LifecycleViewSet.as_view({"put": "update", "patch": "partial_update"})
urlpatterns = [
    path("partnerships/<int:partnership_pk>/lifecycle/", _lifecycle, name="partnership-lifecycle"),
    path("partnerships/<int:partnership_pk>/lifecycle/tasks/<str:code>/", _task, name="partnership-lifecycle-task"),
    *[
        path(f"partnerships/<int:partnership_pk>/{key}/", viewset.as_view({"get": "get_singleton", "put": "put_singleton", "patch": "put_singleton"}),
             name=f"workspace-{key}")
        for key, viewset in VIEWSETS.items() if KINDS[key].singleton
    ],
    *router.urls,
]  # fmt: skip
