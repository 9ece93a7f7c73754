"""API: exchange a username and password for a bearer token."""


from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from chumchon.accounts.services import token_create
from chumchon.api.schemas import Message, ValidationErrors

router = Router()


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: datetime


@router.post("/token", auth=None, response={200: TokenOut, 401: Message, 422: ValidationErrors})
def token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """A new bearer token for `Authorization: Bearer <token>`. It is shown once; only its hash is kept."""
    created = token_create(username=payload.username, password=payload.password)
    if created is None:
        raise HttpError(401, _("Wrong username or password."))
    key, api_token = created
    return TokenOut(token=key, expires_at=api_token.expires_at)
