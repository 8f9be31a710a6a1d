"""Bulk writes announced. Django's bulk_create, bulk_update and update send no post_save, so
whatever keeps something derived from the rows (settlement.list_cache's pages of sheets) would
not learn of them; a model whose rows are kept so takes this queryset and hears `bulk_written`."""

from django.db import models
from django.dispatch import Signal

bulk_written = Signal()  # sender: the model whose rows were written


class AnnouncedWritesQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        bulk_written.send(sender=self.model)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        updated = super().bulk_update(objs, *args, **kwargs)
        bulk_written.send(sender=self.model)
        return updated

    def update(self, **kwargs):
        updated = super().update(**kwargs)
        bulk_written.send(sender=self.model)
        return updated
