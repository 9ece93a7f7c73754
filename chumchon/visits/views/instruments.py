"""Pages for assessment instruments: the list, one definition, and (administrators only) adding a
custom instrument from a JSON or YAML file, with the loader's problems shown line by line."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.visits.instruments.registry import get_instrument, list_instruments, list_versions
from chumchon.visits.instruments.schema import DefinitionError
from chumchon.visits.services.instruments import MAX_BYTES, instrument_add, instrument_check

MANAGE = Capability.MANAGE_INSTRUMENTS


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Definition file (JSON or YAML)"), required=False)
    text = forms.CharField(label=gettext_lazy("…or paste the definition"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "code"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste a definition."))
        if upload is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(kb)s KB.") % {"kb": MAX_BYTES // 1024})
        return data

    def definition(self) -> tuple[str, bytes | str]:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.name, upload.read()
        return "", self.cleaned_data["text"]


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(request, "visits/instruments/list.html", {
        "instruments": list_instruments(),
        "can_manage": can(request.user, MANAGE),
    })


@login_required
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = request.GET.get("version") or None
    try:
        instrument = get_instrument(code, int(version) if version and version.isdigit() else None)
    except LookupError:
        raise Http404("not found") from None
    return render(request, "visits/instruments/detail.html", {
        "instrument": instrument, "versions": list_versions(code),
    })


@login_required
def instrument_upload(request: HttpRequest) -> HttpResponse:
    if not can(request.user, MANAGE):
        raise Http404("not found")
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    source_lines: list[tuple[int, str, bool]] = []
    if request.method == "POST" and form.is_valid():
        filename, content = form.definition()
        try:
            if request.POST.get("action") == "check":
                instrument = instrument_check(filename=filename, content=content)
                messages.success(request, _("The definition “%(title)s” has no problems.")
                                 % {"title": instrument.title.get()})
            else:
                row = instrument_add(actor=request.user, filename=filename, content=content)
                messages.success(request, _("Instrument %(code)s version %(version)s was added.")
                                 % {"code": row.code, "version": row.version})
                return redirect("visits_instruments:detail", code=row.code)
        except PermissionDenied:
            raise Http404("not found") from None
        except DefinitionError as exc:
            problems = exc.problems
            text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
            bad = {line for line, _message in problems}
            source_lines = [(n, line, n in bad) for n, line in enumerate(text.splitlines(), start=1)]
    return render(request, "visits/instruments/upload.html", {
        "form": form, "problems": problems, "source_lines": source_lines,
    })
