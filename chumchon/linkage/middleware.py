"""The import API's upload is cut off at IMPORT_MAX_MB while it streams in, like the web page's.

django-ninja reads the multipart body into request.FILES before the endpoint runs, and Django
spools file parts to disk with no cap of its own; so the size limit has to be in place before the
body is parsed, which only a middleware can do for an API endpoint."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse

from chumchon.api.errors import validation_error_items

IMPORT_API_PATH = "/api/v1/imports"


class ImportUploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path.rstrip("/") == IMPORT_API_PATH:
            from chumchon.linkage.views.imports import SizeLimitHandler, too_big_message

            handler = SizeLimitHandler(request)
            request.upload_handlers.insert(0, handler)
            request.FILES  # noqa: B018 - parse now, under the limit
            if handler.too_big:
                error = ValidationError({"file": too_big_message()})
                return JsonResponse({"detail": validation_error_items(error)}, status=422)
        return self.get_response(request)
