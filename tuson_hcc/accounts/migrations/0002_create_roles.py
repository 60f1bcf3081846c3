"""Create the seven role groups of DESIGN.md section 1 (never by hand)."""

from django.db import migrations

ROLES = ["van_thu", "giam_doc", "thu_truong", "cong_chuc", "tiep_nhan", "kiem_tra", "quan_tri"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
