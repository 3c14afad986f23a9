"""The editors' roles: who may draft, who may publish.

Editors add and change drafts; reviewers also publish, unpublish and delete.
Both import and export files; an editor's import may only hold drafts.
The two groups are kept in step with this file after every `migrate`
(see RecordsConfig.ready), so no one sets permissions by hand.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
REVIEWERS = "Reviewers"

# Records that are part of another record: editors add and remove them in
# the inlines of the record they belong to.
PARTS = {"othername", "identifier", "eventparticipant", "citation", "personmention", "organizationmention"}


def _codenames(*actions, models):
    return {f"{action}_{model}" for action in actions for model in models}


def role_permissions():
    config = apps.get_app_config("records")
    models = {model._meta.model_name for model in config.get_models() if not model.__name__.startswith("Historical")}
    declared = {codename for model in config.get_models() for codename, _ in model._meta.permissions}
    publishing = {codename for codename in declared if codename.startswith("publish_")}
    # Both roles move files in and out; what an import may publish is checked row by row.
    files = {codename for codename in declared if codename.startswith(("import_", "export_"))}
    editors = _codenames("view", "add", "change", models=models) | _codenames("delete", models=PARTS & models)
    reviewers = _codenames("view", "add", "change", "delete", models=models) | publishing
    return {EDITORS: editors | files, REVIEWERS: reviewers | files}


def sync_groups(using="default", **kwargs):
    for name, codenames in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(
            Permission.objects.using(using).filter(content_type__app_label="records", codename__in=codenames)
        )


def can_publish(user, model):
    return user.has_perm(f"{model._meta.app_label}.publish_{model._meta.model_name}")
