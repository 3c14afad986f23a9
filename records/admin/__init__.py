"""The editors' side: find, curate, review and publish records.

Editors draft; reviewers publish (records/roles.py). Every change is kept in
the history pages, with who made it and a field-by-field diff.
"""

from django.contrib import admin

from . import records  # noqa: F401  (registers the admin pages)

admin.site.site_header = "Diplomacy Records"
admin.site.site_title = "Diplomacy Records"
admin.site.index_title = "Curation"
