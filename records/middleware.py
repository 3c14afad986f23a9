"""Security headers for the public pages, and a refusal of bytes no database stores."""

from django.conf import settings
from django.http import HttpResponseBadRequest

# The public pages are plain HTML and one stylesheet: nothing else may load.
# JSON-LD blocks are data, not scripts, and are not blocked by script-src.
PUBLIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# The admin runs its own scripts, all from files (none inline), and styles some elements inline.
ADMIN_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)


class PublicPageHeaders:
    """Adds a Content-Security-Policy to every answer: a strict one outside the admin, the admin's own inside.

    Django's SecurityMiddleware already sends X-Content-Type-Options,
    Referrer-Policy and, over HTTPS, Strict-Transport-Security.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefix):
            response.headers.setdefault("Content-Security-Policy", ADMIN_CSP)
        else:
            response.headers.setdefault("Content-Security-Policy", PUBLIC_CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class RefuseNulCharacters:
    """Answers 400 to a query string with a NUL character, on every page.

    PostgreSQL cannot store or compare text holding NUL: a filter, search or
    admin lookup with %00 would otherwise end in a database error (a 500),
    or in a CSV download cut short after its header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(
                "Bad request: the address holds a NUL character (%00), which no record can contain.\n",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
