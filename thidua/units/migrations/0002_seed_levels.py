"""Seed the default administrative levels and unit kinds (see thidua/units/defaults.py)."""

from django.db import migrations

from thidua.units.defaults import ensure_default_levels


def seed(apps, schema_editor):
    ensure_default_levels(apps.get_model("units", "Level"), apps.get_model("units", "UnitKind"))


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
