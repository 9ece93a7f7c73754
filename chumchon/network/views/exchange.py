"""/network/exchange/: download the directory as an HSDS zip, or upload one (MANAGE_NETWORK).
The download holds the organisations the user sees (within, above or covering their reach); the
upload is checked whole and imported all or nothing, refused rows listed."""

from __future__ import annotations

import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.core.audit import log_action
from chumchon.network import hsds
from chumchon.network.hsds_import import HsdsImportError, hsds_import
from chumchon.network.models import Organisation
from chumchon.network.scoping import organisation_visible_q
from chumchon.people.validation import today

MANAGE = Capability.MANAGE_NETWORK
MAX_UPLOAD = 10 * 1024 * 1024
REPORT_LABELS = {
    "organisations created": gettext_lazy("organisations created"),
    "organisations updated": gettext_lazy("organisations updated"),
    "organisations unchanged": gettext_lazy("organisations unchanged"),
    "organisations matched by name": gettext_lazy("organisations matched by name"),
    "services created": gettext_lazy("services created"),
    "services updated": gettext_lazy("services updated"),
    "services unchanged": gettext_lazy("services unchanged"),
}


@login_required
def exchange(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, MANAGE):
        raise Http404("not found")
    if request.GET.get("download"):
        organisations = Organisation.objects.filter(organisation_visible_q(user))
        tables = hsds.export_tables(organisations)
        log_action(actor=user, verb="network.export_hsds", object_type="network.directory",
                   data={name: len(rows) for name, rows in tables.items()})
        response = HttpResponse(hsds.zip_bytes(tables), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="hsds-{today().isoformat()}.zip"'
        return response
    context: dict[str, object] = {"files": hsds.FILES}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > MAX_UPLOAD:
            messages.error(request, _("Choose a zip file of at most 10 MB."))
        else:
            try:
                counts = hsds_import(actor=user, tables=hsds.read_zip(upload.read())).counts
                context["report"] = {REPORT_LABELS.get(key, key): count for key, count in sorted(counts.items())}
            except (zipfile.BadZipFile, ValueError, UnicodeDecodeError):
                messages.error(request, _("This is not a zip of HSDS CSV files (UTF-8)."))
            except HsdsImportError as exc:
                context["errors"] = exc.errors
                messages.error(request, _("Nothing was imported: correct the rows below and upload again."))
            else:
                messages.success(request, _("The directory was imported."))
    return render(request, "network/exchange/exchange.html", context)
