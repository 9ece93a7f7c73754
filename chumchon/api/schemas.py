"""Shapes shared by every router: the error bodies, so OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema

# A record id as a client may send it in a body or a query: a positive 64-bit integer (larger
# numbers cannot be ids and would overflow the database driver).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Message(Schema):
    detail: str


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[ErrorItem]


def errors(*codes: int) -> dict[int, Any]:
    """Response declarations for the error codes an authenticated endpoint may answer (401 always)."""
    shapes: dict[int, Any] = {401: Message, 404: Message, 409: Message, 422: ValidationErrors}
    return {code: shapes[code] for code in sorted({401, *codes})}
