from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Diplomacy records"

    def ready(self):
        from .roles import sync_groups

        # After migrate has created this app's permissions, bring the
        # Editors and Reviewers groups in line with records/roles.py.
        post_migrate.connect(sync_groups, sender=self, dispatch_uid="records.sync_groups")
