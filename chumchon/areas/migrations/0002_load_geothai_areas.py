"""Load the Thai area tree (77 provinces, 928 districts, 7,436 subdistricts and abolished codes)
from geothai, so that a freshly migrated database already holds it."""

from django.db import migrations


def load(apps, schema_editor):
    from chumchon.areas.loader import load_areas

    load_areas(apps.get_model("areas", "Area"))


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_area_tree")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
