"""Create the role groups (DESIGN.md rule 2); portal.core.roles keeps their permissions in step after migrate."""

from django.db import migrations

ROLES = ["居民", "便民服务站工作人员", "健康服务站工作人员", "文化服务站工作人员", "议事会秘书", "党总支书记", "居委会主任", "志愿者", "区级管理员"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
