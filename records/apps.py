from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete, pre_save


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Diplomacy records"

    def ready(self):
        from . import derived, lookups  # noqa: F401  (lookups registers __any)
        from .roles import guard_delete, guard_save, sync_groups

        # After migrate has created this app's permissions, bring the
        # Editors and Reviewers groups in line with records/roles.py.
        post_migrate.connect(sync_groups, sender=self, dispatch_uid="records.sync_groups")

        # The review rule, asked once more before anything is written while a
        # request is served: no admin route can publish or touch a published
        # record for a user who may not, whatever it forgets to check itself.
        for model in self.get_models():
            if not model.__name__.startswith("Historical"):
                pre_save.connect(guard_save, sender=model, dispatch_uid=f"records.guard_save.{model.__name__}")
                pre_delete.connect(guard_delete, sender=model, dispatch_uid=f"records.guard_delete.{model.__name__}")

        # The search text, the statements' visibility flag and the data version are
        # derived data, kept on every write by records/derived.py alone.
        derived.connect()
