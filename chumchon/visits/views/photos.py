"""Photo upload during a visit (answers to photo questions, visit photos) and the scoped photo
file URL. Photos are PDPA data: served only to those who reach the area, never cached."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.people import selectors as people_selectors
from chumchon.visits.models import PhotoPurpose
from chumchon.visits.selectors.assessments import visit_get
from chumchon.visits.selectors.photos import photo_file
from chumchon.visits.services.photos import photo_add
from chumchon.visits.views.capture import wants_json


@login_required
@require_POST
def photo_upload(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = visit_get(user=request.user, visit_id=visit_id)
    require_area(request.user, Capability.RECORD_VISITS, visit.area_code)
    purpose = request.POST.get("purpose", PhotoPurpose.VISIT)
    if purpose not in (PhotoPurpose.VISIT, PhotoPurpose.ANSWER):
        raise Http404("not found")
    person = None
    person_id = request.POST.get("person", "")
    if person_id:
        if not person_id.isdigit():
            raise Http404("not found")
        person = people_selectors.person_get(user=request.user, person_id=int(person_id))
        if person.household_id != visit.household_id:
            raise Http404("not found")
    try:
        photo = photo_add(actor=request.user, upload=request.FILES.get("photo"), area_code=visit.area_code,
                          purpose=purpose, visit=visit, person=person,
                          item_code=request.POST.get("item_code", ""))
    except ValidationError as exc:
        message = " ".join(exc.message_dict.get("photo", exc.messages))
        if wants_json(request):
            return JsonResponse({"ok": False, "errors": {"photo": message}}, status=422)
        messages.error(request, message)
        return redirect("visit-detail", visit_id=visit.pk)
    url = reverse("photo-file", args=[photo.pk])
    if wants_json(request):
        return JsonResponse({"ok": True, "id": photo.pk, "url": url, "width": photo.width, "height": photo.height})
    messages.success(request, _("The photo was added."))
    return redirect("visit-detail", visit_id=visit.pk)


@login_required
@require_GET
def photo_serve(request: HttpRequest, photo_id: int) -> HttpResponseBase:
    photo, path = photo_file(user=request.user, photo_id=photo_id)
    response = FileResponse(path.open("rb"), content_type=photo.content_type or "image/jpeg")
    patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.jpg"'
    return response
