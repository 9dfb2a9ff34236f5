"""API plumbing shared by all apps: pagination, errors, object permissions from django-rules."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotAuthenticated
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ConflictError


class CodeRelatedField(serializers.SlugRelatedField):
    """A reference by code (a country's ISO3, a currency). A NUL character is refused before the lookup:
    PostgreSQL cannot compare text holding one, and the lookup failed with a server error."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            ProhibitNullCharactersValidator()(data)
        return super().to_internal_value(data)


class ScorePartSerializer(serializers.Serializer):
    """One part of an explained score (partnerhub.core.scores.Part)."""

    key = serializers.CharField()
    title = serializers.CharField(source="label", help_text="The part's name, in the request's language")
    weight = serializers.IntegerField()
    value = serializers.FloatField(help_text="0–1")
    points = serializers.FloatField(help_text="weight × value")
    reason = serializers.CharField()


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record has changed since you read it (If-Match does not match its ETag).")
    default_code = "precondition_failed"


def exception_handler(exc, context):
    """Domain errors become JSON with field-level messages and the right status code."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = DRFValidationError(detail=detail)
    elif isinstance(exc, ConflictError):
        response = Response(
            {"detail": str(exc), "current_version": exc.current_version}, status=status.HTTP_409_CONFLICT
        )
        return response
    return drf_exception_handler(exc, context)


class RulesPermission(BasePermission):
    """Checks the django-rules permission named for the view's action (`view.rules_permissions`).

    The same permission names guard the HTML views, so UI and API cannot disagree.
    Reads of listed objects are limited by the view's queryset instead.
    """

    def _perm(self, view) -> str | None:
        return getattr(view, "rules_permissions", {}).get(view.action)

    def has_permission(self, request, view) -> bool:
        if request.method not in SAFE_METHODS and not request.user.is_authenticated:
            return False
        perm = self._perm(view)
        if perm and not view.detail:
            return request.user.has_perm(perm)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        perm = self._perm(view)
        return perm is None or request.user.has_perm(perm, obj)


def check_if_match(request, version: int) -> None:
    """Honour `If-Match: "<version>"` (the ETag we send): a stale writer gets 412."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
    if str(version) not in tags:
        raise PreconditionFailed()


def acting_user(request) -> User:
    """The signed-in person making a write (permission classes have already refused anonymous writes)."""
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated()
    return user


def etag(version: int) -> str:
    return f'"{version}"'


def schema_blank_strings_any_of(result, generator, request, public):
    """drf-spectacular describes blank-able URL/e-mail fields as oneOf [format, maxLength 0];
    "" matches both branches, which makes strict validators reject valid responses. anyOf is what is meant."""

    def walk(node):
        if isinstance(node, dict):
            one_of = node.get("oneOf")
            if isinstance(one_of, list) and {"type": "string", "maxLength": 0} in one_of:
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
