from django.apps import AppConfig
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Diplomacy records"

    def ready(self):
        from . import caching, lookups, models, search, visibility  # noqa: F401  (lookups registers __any)
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

        # Folded names and text for search are stored, so that both databases
        # search the same text; a save writes them with the record (fixtures'
        # raw saves included), and a changed other name refreshes its owner.
        # The bulk paths keep them right themselves (records/search.py).
        for model in self.get_models():
            if search.is_searchable(model) and not model.__name__.startswith("Historical"):
                pre_save.connect(search.set_on_save, sender=model, dispatch_uid=f"records.search.{model.__name__}")
        for part in (models.OtherName, models.Identifier):
            uid = f"records.search.{part.__name__}"
            post_save.connect(search.refresh_owner, sender=part, dispatch_uid=uid)
            post_delete.connect(search.refresh_owner, sender=part, dispatch_uid=f"{uid}-deleted")
        topics = models.Statement.topics.through
        m2m_changed.connect(search.refresh_topics, sender=topics, dispatch_uid="records.search.topics")
        post_save.connect(search.refresh_topic_statements, sender=models.Topic, dispatch_uid="records.search.topic")

        # The visibility flag of statements (records/visibility.py): computed on
        # every save, and refreshed when what it rests on is published,
        # unpublished or replaced. The bulk paths refresh it themselves.
        for model in visibility.flagged_models():
            pre_save.connect(visibility.set_flag_on_save, sender=model, dispatch_uid=f"records.flag.{model.__name__}")
        for model in visibility.flag_dependencies():
            uid = f"records.flag-dependency.{model.__name__}"
            post_save.connect(visibility.refresh_on_save, sender=model, dispatch_uid=uid)

        # Every write advances the data version behind ETags and the page cache
        # (records/caching.py): saves, deletes and link changes here; the
        # querysets' bulk methods and the batch import advance it themselves.
        for model in self.get_models(include_auto_created=True):
            if model is models.DataVersion or model.__name__.startswith("Historical"):
                continue
            uid = f"records.version.{model._meta.label}"
            post_save.connect(caching.advance_on_write, sender=model, dispatch_uid=uid)
            post_delete.connect(caching.advance_on_write, sender=model, dispatch_uid=uid)
            m2m_changed.connect(caching.advance_on_links, sender=model, dispatch_uid=uid)
