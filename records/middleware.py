"""Security headers for the public pages."""

from django.conf import settings

# The public pages are plain HTML and one stylesheet: nothing else may load.
# JSON-LD blocks are data, not scripts, and are not blocked by script-src.
PUBLIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


class PublicPageHeaders:
    """Adds a strict Content-Security-Policy to every page outside the admin.

    Django's SecurityMiddleware already sends X-Content-Type-Options and
    Referrer-Policy; the admin keeps Django's own defaults, since it needs
    its scripts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.admin_prefix):
            response.headers.setdefault("Content-Security-Policy", PUBLIC_CSP)
            response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
