from typing import Any

from django.db import migrations

from chumchon.network.vocabulary import NEED_RULES, ORG_KINDS, SUPPORT_KINDS, TARGET_GROUPS


def seed(apps: Any, schema_editor: Any) -> None:
    Term = apps.get_model("network", "Term")
    NeedRule = apps.get_model("network", "NeedRule")
    terms = {}
    for vocabulary, rows in (("org_kind", ORG_KINDS), ("target_group", TARGET_GROUPS),
                             ("support_kind", SUPPORT_KINDS)):
        for index, (code, th, en) in enumerate(rows):
            term, _created = Term.objects.get_or_create(vocabulary=vocabulary, code=code, defaults={
                "label_th": th, "label_en": en, "sort": (index + 1) * 10})
            terms[(vocabulary, code)] = term
    for instrument, result, support, target in NEED_RULES:
        NeedRule.objects.get_or_create(
            instrument_code=instrument, result_code=result, support_kind=terms[("support_kind", support)],
            defaults={"target_group": terms[("target_group", target)] if target else None})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_organisations_services_committees_centres")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
