"""Conditional GET and a page cache for the public pages, both keyed by the data version.

Every write to the records advances one counter (models.DataVersion,
kept by records/derived.py). A public page's ETag is that version (with the release of
the code), so a browser that has the page asks again and gets a 304 until
something changes; the rendered page is kept in Django's cache under the
same version, so the first reader after an edit renders it afresh and the
next ones get it from the cache. No edit can leave a cached page stale: the
key it was stored under is never asked for again (old entries expire).
Browsers and shared caches may keep a page for PUBLIC_MAX_AGE seconds
(docs/operations.md).
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .models import DataVersion

PAGE_CACHE = "default"


@functools.cache
def release():
    """What tells this code's pages from another release's: RELEASE if set, else the templates' and code's dates."""
    if settings.RELEASE:
        return settings.RELEASE
    root = Path(settings.BASE_DIR)
    stamps = sorted(
        f"{path.relative_to(root)}:{path.stat().st_mtime_ns}"
        for folder in ("templates", "records", "diplomacy")
        for path in (root / folder).rglob("*")
        if path.suffix in (".py", ".html", ".css", ".svg")
    )
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:12]


def cached_page(view):
    """A public GET view answered by ETag and Last-Modified, and from the page cache while nothing changes.

    Only whole 200 responses are cached (never streamed downloads).
    PAGE_CACHE_SECONDS=0 turns the cache off (ETags stay). With DEBUG on,
    neither applies: a developer sees template edits at once.
    """

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if settings.DEBUG:
            return view(request, *args, **kwargs)
        version = DataVersion.current()
        etag = f'W/"{version.number}-{release()}"'
        last_modified = int(version.changed.timestamp())
        unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if unchanged is not None:
            return _stamped(unchanged, etag, last_modified)
        if settings.PAGE_CACHE_SECONDS <= 0:
            return _stamped(view(request, *args, **kwargs), etag, last_modified)
        cache = caches[PAGE_CACHE]
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{version.number}:{release()}:{request.method}:{path}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return _stamped(response, etag, last_modified)

    return answer


def _stamped(response, etag, last_modified):
    if response.status_code in (200, 304):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
    return response
