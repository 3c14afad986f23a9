"""The admin's accounts: the address a login attempt comes from, and what a password may not be.

`client_ip` is django-axes's way to the address (settings.AXES_CLIENT_IP_CALLABLE);
`GuessablePasswordValidator` stands beside Django's own validators (settings.AUTH_PASSWORD_VALIDATORS).
"""

import re

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

# One to four characters, repeated, with at most three more: "aaaaaaaaaaaa", "ed2ed2ed2ed2ed2", "abcabcabcabc1".
REPEATED = re.compile(r"(.{1,4})\1{2,}.{0,3}", re.S)


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


class GuessablePasswordValidator:
    """Refuses what Django's validators let through and a guesser tries first.

    A few characters repeated ("aaaaaaaaaaaa"), and the user name with a
    little around it: digits, a sign, a common password ("ed2-password",
    "ed2ed2ed2ed2ed2"). Django's similarity validator compares whole strings,
    so a short name inside a long password passes it.
    """

    def __init__(self):
        self.common = CommonPasswordValidator().passwords

    def validate(self, password, user=None):
        folded = password.lower()
        if REPEATED.fullmatch(folded):
            raise ValidationError("This password repeats a few characters over and over.", code="password_repeated")
        name = (getattr(user, "username", "") or "").lower()
        if len(name) >= 3 and name in folded:
            rest = re.sub(r"[^a-z0-9]", "", folded.replace(name, ""))
            if len(rest) < 8 or rest.isdigit() or rest in self.common:
                raise ValidationError(
                    "This password is the user name with little around it.", code="password_like_username"
                )

    def get_help_text(self):
        return "Your password can't be a few characters repeated, or your user name with little around it."
