"""The address a login attempt comes from, for django-axes's lockout (settings.AXES_CLIENT_IP_CALLABLE)."""

from django.conf import settings


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address the outermost one saw.

    Each proxy appends the address it was reached from to X-Forwarded-For,
    so only the last TRUSTED_PROXIES entries are trustworthy; the first of
    them is the client's. Entries a client wrote itself come before them and
    are ignored. Too few entries (a request that bypassed the proxy): the
    peer's own address.
    """
    trusted = settings.TRUSTED_PROXIES
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if trusted and len(hops) >= trusted:
        return hops[-trusted]
    return request.META.get("REMOTE_ADDR", "")
