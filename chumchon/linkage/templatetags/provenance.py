"""``{% person_provenance person %}``: the table of where each value of a person came from."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from chumchon.linkage.selectors.imports import PROVENANCE_FIELDS, person_provenance

register = template.Library()

LABELS = {"name": _("name"), "birth_date": _("birth date"), "national_id": _("national ID"),
          "house_no": _("house number"), "phone": _("phone")}


@register.inclusion_tag("linkage/imports/_provenance_table.html", takes_context=True)
def provenance_table(context: Any, person: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    columns = person_provenance(user=user, person=person) if person is not None and user is not None else []
    registry = columns[0].values if columns else {}
    rows = [{"label": LABELS[name],
             "cells": [{"value": column.values[name], "is_registry": column.is_registry,
                        "same": bool(column.values[name]) and column.values[name] == registry.get(name)}
                       for column in columns]}
            for name in PROVENANCE_FIELDS]
    return {"columns": columns, "rows": rows}
