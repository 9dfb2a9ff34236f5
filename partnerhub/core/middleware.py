"""Request checks that apply to every page and endpoint."""

from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpResponseBadRequest, JsonResponse


class RefuseNulInQuery:
    """A NUL character in the query string is refused (400) before any view reads it: no search, filter
    or typeahead means one, and PostgreSQL cannot compare text holding one (the typeaheads and a
    screening filter failed with a server error). Forms and API bodies refuse it field by field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = [
            key.replace("\x00", "")
            for key, values in request.GET.lists()
            if "\x00" in key or any("\x00" in v for v in values)
        ]
        if refused:
            message = str(ProhibitNullCharactersValidator.message)  # Django's, translated
            if request.path.startswith("/api/"):  # as the API's validation errors: per parameter
                return JsonResponse({key: [message] for key in refused}, status=400)
            return HttpResponseBadRequest(
                f"{', '.join(refused)}: {message}", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
