"""The DSFR site configuration the pages read (title, brand); editable afterwards in the admin."""

from django.db import migrations


def create_config(apps, schema_editor):
    DsfrConfig = apps.get_model("dsfr", "DsfrConfig")
    if not DsfrConfig.objects.exists():
        DsfrConfig.objects.create(
            language="fr",
            site_title="Conventions de modernisation",
            site_tagline="Suivi des programmes cofinancés par la CNSA",
            header_brand="République française",
            header_brand_html="République<br>française",
            footer_brand="République française",
            footer_brand_html="République<br>française",
            footer_description="Conventions de modernisation de l'aide à domicile cofinancées par la CNSA.",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("dsfr", "0012_dsfrconfig_notice_description_and_more"),
    ]

    operations = [migrations.RunPython(create_config, migrations.RunPython.noop)]
