"""Take national IDs out of the stored search text: partial digits must not narrow a masked ID."""

from django.db import migrations


def strip_ids(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.exclude(national_id=None).only("id", "national_id", "search_text").iterator():
        cleaned = " ".join(word for word in person.search_text.split() if word != person.national_id)
        if cleaned != person.search_text:
            person.search_text = cleaned
            batch.append(person)
        if len(batch) >= 1000:
            Person.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("people", "0001_households_people_lawful_basis")]

    operations = [migrations.RunPython(strip_ids, migrations.RunPython.noop)]
