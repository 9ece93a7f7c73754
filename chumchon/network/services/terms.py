"""The shared vocabularies (kinds of organisation, target groups, kinds of support) are data: an
administrator may add a term. Codes are lower-case slugs, unique within their vocabulary."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.core.audit import log_action
from chumchon.core.thai import normalize_text
from chumchon.network.models import Term, Vocabulary

# Adding to a vocabulary every tambon shares is an administrator's work.
ADMIN = Capability.MANAGE_INSTRUMENTS
CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def may_manage_terms(user: Any) -> bool:
    return can(user, ADMIN)


def term_lookup(vocabulary: str, code: str, field: str) -> Term:
    """The active term ``code`` of ``vocabulary``, or a ValidationError at ``field`` naming the code."""
    term = Term.objects.filter(vocabulary=vocabulary, code=str(code or "").strip(), is_active=True).first()
    if term is None:
        if not str(code or "").strip():
            raise ValidationError({field: _("Please choose one.")})
        raise ValidationError({field: _("Unknown code “%(code)s” in the list of %(vocabulary)s.") % {
            "code": code, "vocabulary": Vocabulary(vocabulary).label}})
    return term


def terms_lookup(vocabulary: str, codes: Any, field: str, *, required: bool = True) -> list[Term]:
    """Active terms for ``codes`` (a list, or one comma-separated string), unknown codes named."""
    if isinstance(codes, str):
        codes = [part for part in codes.split(",")]
    wanted = list(dict.fromkeys(str(code).strip() for code in (codes or ()) if str(code).strip()))
    if not wanted:
        if required:
            raise ValidationError({field: _("Choose at least one.")})
        return []
    found = {term.code: term for term in Term.objects.filter(vocabulary=vocabulary, code__in=wanted,
                                                             is_active=True)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError({field: _("Unknown code “%(code)s” in the list of %(vocabulary)s.") % {
            "code": ", ".join(unknown), "vocabulary": Vocabulary(vocabulary).label}})
    return [found[code] for code in wanted]


@transaction.atomic
def term_create(*, actor: Any, vocabulary: str, code: str, label_th: str, label_en: str = "",
                sort: int | None = None) -> Term:
    if not may_manage_terms(actor):
        raise Http404("not found")
    if vocabulary not in Vocabulary.values:
        raise ValidationError({"vocabulary": _("Choose a vocabulary.")})
    code = str(code or "").strip().lower()
    if not CODE.match(code):
        raise ValidationError({"code": _(
            "A code is 2–40 characters: lower-case English letters, digits and “_”, starting with a letter.")})
    if Term.objects.filter(vocabulary=vocabulary, code=code).exists():
        raise ValidationError({"code": _("The code “%(code)s” is already in this vocabulary.") % {"code": code}})
    label_th = normalize_text(label_th)[:120]
    if not label_th:
        raise ValidationError({"label_th": _("Please enter the Thai label.")})
    if sort is None:
        sort = (Term.objects.filter(vocabulary=vocabulary).aggregate(top=Max("sort"))["top"] or 0) + 10
    term = Term.objects.create(vocabulary=vocabulary, code=code, label_th=label_th,
                               label_en=normalize_text(label_en)[:120], sort=min(int(sort), 32767))
    log_action(actor=actor, verb="term.create", obj=term,
               data={"vocabulary": vocabulary, "code": code, "label_th": term.label_th})
    return term
