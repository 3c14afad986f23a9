"""Small formatting helpers for the public pages."""

import json

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from records import visibility
from records.models.base import bounded_label
from records.partial_dates import tolerant
from records.search import MARK_END, MARK_START

register = template.Library()


@register.filter
def partial_date(value):
    """'2025' -> '2025', '2025-03' -> 'March 2025', '2025-03-12' -> '12 March 2025'."""
    date = tolerant(value)
    return date.label() if date is not None else (value or "")


@register.simple_tag
def link(record, text=None):
    """A link to a public record, named by `text` or by itself; nothing at all for a record the public may not see.

    A draft is never named, let alone linked (records/visibility.py decides).
    """
    url = visibility.public_url(record)
    if url is None:
        return ""
    return format_html('<a href="{}">{}</a>', url, record if text is None else text)


@register.filter
def public_url(record):
    """The address of a public record, or None (records/visibility.py)."""
    return visibility.public_url(record)


@register.simple_tag
def date_phrase(value, bound="", wording="", relative_to=None):
    """A date as the sources allow: 'on or before 12 March 2026 (“recently”, as of 12 March 2026)'."""
    if not value and not wording:
        return ""
    text = bounded_label(partial_date(value), bound)
    if wording:
        as_of = f", as of {relative_to.day} {relative_to:%B %Y}" if relative_to else ""
        text = f"{text} (“{wording}”{as_of})" if text else f"“{wording}”{as_of}"
    return text


@register.simple_tag(takes_context=True)
def with_query(context, **changes):
    """The current page's query string with some parameters changed (None removes one)."""
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)  # another filter starts again at page one
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


# Characters that would let JSON end its <script> element early.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _compact(value):
    """Leave out what is unknown: None and empty lists say nothing in schema.org."""
    if isinstance(value, dict):
        return {key: _compact(item) for key, item in value.items() if item not in (None, [], "")}
    if isinstance(value, list):
        return [_compact(item) for item in value if item is not None]
    return value


@register.filter
def json_ld(data):
    """schema.org data as a <script type="application/ld+json"> block, safe to embed."""
    if not data:
        return ""
    payload = json.dumps(_compact(data), ensure_ascii=False, sort_keys=True).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def highlight(snippet):
    """A search snippet with its matches in <mark>, everything else escaped."""
    return mark_safe(escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


@register.simple_tag
def count_of(counted):
    """A (count, approximate) pair from pagination.estimated_count: '31', or 'about 1,000,000' when estimated."""
    count, approximate = counted
    if not approximate:
        return str(count)
    return f"about {count:,}"
