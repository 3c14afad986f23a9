"""The editors' roles: who may draft, who may publish.

Editors add and change drafts; reviewers also publish, unpublish and delete.
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
    publishable = {model for model in models if f"publish_{model}" in _declared_permissions(config)}
    editors = _codenames("view", "add", "change", models=models) | _codenames("delete", models=PARTS & models)
    reviewers = _codenames("view", "add", "change", "delete", models=models) | _codenames("publish", models=publishable)
    return {EDITORS: editors, REVIEWERS: reviewers}


def _declared_permissions(config):
    return {codename for model in config.get_models() for codename, _ in model._meta.permissions}


def sync_groups(using="default", **kwargs):
    for name, codenames in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(
            Permission.objects.using(using).filter(content_type__app_label="records", codename__in=codenames)
        )


def can_publish(user, model):
    return user.has_perm(f"{model._meta.app_label}.publish_{model._meta.model_name}")
