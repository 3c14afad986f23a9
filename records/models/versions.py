"""A counter every write to the records advances, behind ETags and cached pages (records/caching.py)."""

from django.db import models
from django.db.models import F
from django.utils import timezone


class DataVersion(models.Model):
    """One row: how many writes the records have seen, and when the last one was."""

    number = models.BigIntegerField(default=0)
    changed = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"version {self.number} of {self.changed:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def advance(cls):
        """Count one more write, in the writer's transaction: readers see the new number with the new data."""
        # A database flushed by tests loses the row; it starts again at 1.
        if not cls.objects.filter(pk=1).update(number=F("number") + 1, changed=timezone.now()):
            cls.objects.update_or_create(pk=1, defaults={"number": 1, "changed": timezone.now()})

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1, number=0, changed=timezone.now())
