"""Public, read-only pages. Only published records are ever shown."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Event, Organization, Person, Source, Statement


def _detail(request, model, slug):
    record = get_object_or_404(model.objects.published(), slug=slug)
    return render(request, "records/detail.html", {"record": record, "kind": model._meta.verbose_name})


@require_safe
def person_detail(request, slug):
    return _detail(request, Person, slug)


@require_safe
def organization_detail(request, slug):
    return _detail(request, Organization, slug)


@require_safe
def event_detail(request, slug):
    return _detail(request, Event, slug)


@require_safe
def statement_detail(request, slug):
    return _detail(request, Statement, slug)


@require_safe
def source_detail(request, slug):
    return _detail(request, Source, slug)
