"""The API at /api/v1/: plumbing only (auth, errors, pagination). Routers live in each app's api.py.

The docs page (/api/v1/docs) uses the swagger-ui files django-ninja ships in its static folder,
served by whitenoise: nothing is loaded from a CDN.

Adding a router (see people/api/):
- read through the app's selectors and write through its services; pass ``caller(request)``;
- name the JSON body parameter ``payload`` so schema errors read ``["body", field]`` like
  service errors (``errors.BODY_PARAM_NAMES``); rename service keys with ``errors.field_names``;
- declare ``response={200: ..., **schemas.errors(404, 422)}`` so OpenAPI lists the error bodies;
- lists use ``@paginate(Pagination)``; fixed paths go before ``/{param}`` paths;
- register it in ``_add_routers`` below; chumchon/api/tests checks it answers 401 without auth.
"""

from typing import Any

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from chumchon.api import errors
from chumchon.api.auth import API_AUTH


class ThaiJSONRenderer(JSONRenderer):
    """UTF-8 as is: Thai text stays readable and half the size of escaped code points."""

    json_dumps_params: dict[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="Chumchon API",
    version="1",
    description=(
        "The community welfare registry of a Thai subdistrict. Get a token with "
        "`POST /api/v1/auth/token` and send it as `Authorization: Bearer <token>`; a logged-in "
        "browser session works too. Out-of-scope or unknown records answer 404; refused input "
        "answers 422 with the field and a Thai message; a stale edit answers 409."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=Swagger(settings={"persistAuthorization": True}),
    renderer=ThaiJSONRenderer(),
)
errors.install(api)


def _add_routers() -> None:
    from chumchon.accounts.api import router as accounts_router
    from chumchon.areas.api import router as areas_router
    from chumchon.people.api import households_router, persons_router

    api.add_router("/auth", accounts_router, tags=["auth"])
    api.add_router("/areas", areas_router, tags=["areas"])
    api.add_router("/households", households_router, tags=["households"])
    api.add_router("/persons", persons_router, tags=["persons"])
    from chumchon.visits.api.assessments import router as assessments_router

    api.add_router("", assessments_router, tags=["visits and assessments"])
    from chumchon.visits.api.instruments import router as instruments_router

    api.add_router("/instruments", instruments_router, tags=["instruments"])
    from chumchon.care.api import router as alerts_router

    api.add_router("/alerts", alerts_router, tags=["alerts"])
    from chumchon.visits.api.forums import forums_router, reviews_router

    api.add_router("/forums", forums_router, tags=["village forums"])
    api.add_router("/reviews", reviews_router, tags=["verification"])
    from chumchon.network.api.analysis import match_router, network_router

    api.add_router("/network", network_router, tags=["network"])
    # Before any other router on /services, so that /services/match is not read as an id.
    api.add_router("/services", match_router, tags=["network"])
    from chumchon.network.api.directory import (
        organisations_router,
        relations_router,
        services_router,
        terms_router,
    )

    api.add_router("/organisations", organisations_router, tags=["network directory"])
    api.add_router("/services", services_router, tags=["network directory"])
    api.add_router("/relations", relations_router, tags=["network directory"])
    api.add_router("/terms", terms_router, tags=["network directory"])
    from chumchon.network.api.centres import router as centres_router
    from chumchon.network.api.committees import router as committees_router

    api.add_router("/committees", committees_router, tags=["committees"])
    api.add_router("/centres", centres_router, tags=["child development centres"])
    from chumchon.care.api_plans import plans_router, referrals_router

    api.add_router("/plans", plans_router, tags=["care plans"])
    api.add_router("/referrals", referrals_router, tags=["referrals"])
    from chumchon.care.api_tambon_plan import router as tambon_plan_router

    api.add_router("/tambon-plan", tambon_plan_router, tags=["tambon plan"])
    from chumchon.linkage.api.linkage import router as linkage_router
    from chumchon.linkage.api.linkage import source_records_router

    api.add_router("/linkage", linkage_router, tags=["record linkage"])
    api.add_router("/source-records", source_records_router, tags=["record linkage"])
    from chumchon.linkage.api.imports import router as imports_router

    api.add_router("/imports", imports_router, tags=["imports"])


_add_routers()
