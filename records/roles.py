"""Who may do what: editors draft, reviewers publish.

Editors add and change drafts; reviewers also publish, unpublish, change
published records and delete them. Both import and export files. The two
groups are kept in step with this file after every `migrate` (see
RecordsConfig.ready), so no one sets permissions by hand.

`refusal()` is the one rule every route that writes asks: admin forms and
inlines, history reverts, change-list actions, deletions and imports. As a
last net, `guard_save` and `guard_delete` ask it again before any record is
written while a request is being served, so a route that forgets to ask is
refused all the same.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from simple_history.models import HistoricalRecords

from .models.base import Publishable

EDITORS = "Editors"
REVIEWERS = "Reviewers"

# Records that are part of another record: editors add and remove them in
# the inlines of the record they belong to.
PARTS = {"othername", "identifier", "link", "eventparticipant", "citation", "personmention", "organizationmention"}

# What each role may do in the admin, as the operators' guide states it
# (docs/operations.md); tests/test_permission_matrix.py holds every admin
# route to it.
ROLES = ("anonymous", "staff, no group", "view-only staff", "editor", "reviewer")
CAPABILITIES = {
    "see the records, their lists and history": {"view-only staff", "editor", "reviewer"},
    "add drafts": {"editor", "reviewer"},
    "change drafts and their parts": {"editor", "reviewer"},
    "delete the parts of drafts (other names, identifiers, links, participants, citations, mentions)": {
        "editor",
        "reviewer",
    },
    "revert a draft to an earlier draft version": {"editor", "reviewer"},
    "import drafts": {"editor", "reviewer"},
    "export files": {"editor", "reviewer"},
    "publish and unpublish": {"reviewer"},
    "change published records and their parts": {"reviewer"},
    "revert to or from a published version": {"reviewer"},
    "import published records, or changes to them": {"reviewer"},
    "delete records": {"reviewer"},
    "merge two people, or two organizations, into one": {"reviewer"},
}


def capability_table():
    """CAPABILITIES as the Markdown table of docs/operations.md."""
    lines = ["| may | " + " | ".join(ROLES) + " |", "| --- |" + " :---: |" * len(ROLES)]
    for capability, roles in CAPABILITIES.items():
        lines.append(f"| {capability} | " + " | ".join("yes" if role in roles else "—" for role in ROLES) + " |")
    return "\n".join(lines)


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


def governing(record):
    """The publishable record that a change to `record` changes: itself, or the record it is part of."""
    if record is None or isinstance(record, Publishable):
        return record
    return getattr(record, "part_of", None)


def refusal(user, before=None, after=None):
    """Why `user` may not turn the stored record `before` into `after`, or None if they may.

    `before` is None for a new record and `after` None for a deletion. Beyond
    Django's add, change and delete permissions, a published record and its
    parts change only under review: whoever may not publish may neither touch
    them nor make a record published.
    """
    record = before if after is None else after
    opts = record._meta
    action = "add" if before is None else "delete" if after is None else "change"
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        return f"You may not {action} {opts.verbose_name_plural}."
    for state in (before, after):
        target = governing(state)
        if target is None or not target.reviewers_only or can_publish(user, type(target)):
            continue
        if target is not state:
            name = target._meta.verbose_name
            return f"It is part of the {name} “{target}”, which is published: only reviewers may change it."
        if state is before:
            return f"This {opts.verbose_name} is published: only reviewers may change it."
        return f"Only reviewers may publish {opts.verbose_name_plural}."
    return None


def may_change(user, record):
    return refusal(user, record, record) is None


# The last net -------------------------------------------------------------------


def acting_user():
    """The user of the request being served, if any (simple-history's middleware keeps it)."""
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


def guard_save(sender, instance, raw=False, **kwargs):
    user = acting_user()
    if raw or user is None:
        return  # fixtures, commands and tests: the operator of the site
    before = sender._base_manager.filter(pk=instance.pk).first() if instance.pk is not None else None
    problem = refusal(user, before, instance)
    if problem:
        raise PermissionDenied(problem)


def guard_delete(sender, instance, **kwargs):
    user = acting_user()
    if user is None:
        return
    problem = refusal(user, instance, None)
    if problem:
        raise PermissionDenied(problem)
