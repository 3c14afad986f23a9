from django.contrib import admin

from .models import Event, Membership, Organization, Person, Source, Statement

admin.site.register([Person, Organization, Membership, Event, Statement, Source])
