from django.db import migrations


def install(apps, schema_editor):
    """The same triggers, their upserts now writing rows in key order (no crosswise locks)."""
    from financing.totals_upkeep import SECOND_GRAINS, install_statements

    with schema_editor.connection.cursor() as cursor:
        for statement in install_statements(schema_editor.connection.vendor, SECOND_GRAINS):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("financing", "0010_departement_total_present")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
