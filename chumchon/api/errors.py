"""One error format for every client.

- request data the schema cannot read (ninja) and rules a service refuses (Django
  ``ValidationError``) both answer 422 ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``;
- out of scope or unknown → 404 ``{"detail": "Not found"}`` (never 403: it leaks nothing);
- answers an instrument refuses (``AnswerErrors``) → 422 at ``["body", "answers", item_code]``;
- a stale edit (``core.errors.StaleEdit``) → 409 with the message, nothing written;
- no or bad credentials → 401.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from chumchon.core.errors import StaleEdit


def validation_error_items(exc: ValidationError, location: str = "body") -> list[dict[str, Any]]:
    """A Django ``ValidationError`` as ninja-style error items, one per message."""
    items: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            loc = [location] if field == NON_FIELD_ERRORS else [location, field]
            items.extend(_item(loc, error) for error in errors)
    else:
        items.extend(_item([location], error) for error in exc.error_list)
    return items


def _item(loc: list[str], error: ValidationError) -> dict[str, Any]:
    message = error.message
    if error.params:
        message = message % error.params
    return {"loc": loc, "msg": str(message), "type": error.code or "invalid"}


@contextmanager
def field_names(mapping: Mapping[str, str]) -> Iterator[None]:
    """Rename a service's error keys to the names the API client sent (``area`` → ``area_code``)."""
    try:
        yield
    except StaleEdit:
        raise
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {mapping.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc


def _strip_param_name(loc: list[Any], body_params: set[str]) -> list[Any]:
    """ninja reports ``["body", "payload", "first_name"]``; clients see ``["body", "first_name"]``,
    the same as a service's error for that field."""
    if len(loc) >= 3 and loc[0] == "body" and loc[1] in body_params:
        return [loc[0], *loc[2:]]
    return loc


BODY_PARAM_NAMES = {"payload"}


def install(api: NinjaAPI) -> None:
    def on_django_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": validation_error_items(exc)}, status=422)

    def on_ninja_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = []
        for error in exc.errors:
            error = dict(error)
            error["loc"] = _strip_param_name(list(error.get("loc", [])), BODY_PARAM_NAMES)
            errors.append(error)
        return api.create_response(request, {"detail": errors}, status=422)

    def on_stale(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc.message)}, status=409)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found"}, status=404)

    def on_unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(request, {"detail": "Not authenticated"}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_answer_errors(request: HttpRequest, exc: Any) -> HttpResponse:
        items = [{"loc": ["body", "answers"] if code == "__all__" else ["body", "answers", code],
                  "msg": str(message), "type": "invalid_answer"} for code, message in exc.errors.items()]
        return api.create_response(request, {"detail": items}, status=422)

    from chumchon.visits.instruments.schema import AnswerErrors

    api.add_exception_handler(AnswerErrors, on_answer_errors)
    api.add_exception_handler(ValidationError, on_django_validation)
    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(StaleEdit, on_stale)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
