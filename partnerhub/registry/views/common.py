"""Small helpers shared by the registry's HTML views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .. import selectors
from ..models import Partnership

PAGE_SIZE = 20


def require_perm(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def visible_partnership(request: HttpRequest, pk: int) -> Partnership:
    """The partnership if this person may see it; 404 otherwise (drafts are not revealed)."""
    visible = selectors.partnership_visible_queryset(user=request.user)
    return get_object_or_404(
        selectors.partnership_detail_queryset().filter(pk__in=visible.values("pk")), pk=pk
    )


def form_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: next to the field it names, or above the form."""
    for key, msgs in error.message_dict.items():
        for message in msgs:
            form.add_error(key if key in form.fields else None, message)


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal of an action without a form, as messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
