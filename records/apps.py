from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Diplomacy records"

    def ready(self):
        from . import models, search
        from .roles import sync_groups

        # After migrate has created this app's permissions, bring the
        # Editors and Reviewers groups in line with records/roles.py.
        post_migrate.connect(sync_groups, sender=self, dispatch_uid="records.sync_groups")

        # Folded names and text for search are stored, so that both databases
        # search the same text; keep them in step with every save.
        for model in (models.Person, models.Organization, models.Event, models.Source, models.Statement):
            post_save.connect(search.refresh, sender=model, dispatch_uid=f"records.search.{model.__name__}")
        post_save.connect(search.refresh_owner, sender=models.OtherName, dispatch_uid="records.search.othername")
        post_delete.connect(search.refresh_owner, sender=models.OtherName, dispatch_uid="records.search.othername-d")
