"""The API at /api/v1/: plumbing only (auth, errors). Routers live in each app's api.py."""

from ninja import NinjaAPI

api = NinjaAPI(title="Chumchon API", version="1", urls_namespace="api")
