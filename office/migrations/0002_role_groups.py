"""The eight roles exist as groups from the start (DOMAIN.md §1)."""

from django.db import migrations

ROLES = [
    "secretary",
    "leader",
    "supervisor",
    "unit_handler",
    "unit_head",
    "sysadmin",
    "secadmin",
    "auditor",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("office", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
