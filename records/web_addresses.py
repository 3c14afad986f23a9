"""One rule for the web addresses records keep (links, portraits, sources), in forms, CSV and Popolo alike.

It accepts what a browser opens from real data: internationalised host names
(münchen.de as well as xn--mnchen-3ya.de), underscores in host labels (the
Wikipedias be_x_old and fiu_vro live at such hosts), non-ASCII and
percent-encoded paths, ports, IP addresses. It refuses what is not a web
address or is dangerous to link: any scheme but http and https
(`javascript:`, `data:`, `file:` …), no host, control characters, spaces
around the address or in its host, a malformed host. A space in a path is
kept (browsers send it as %20; real files have portraits named so).
Django's URLValidator is stricter than browsers on hosts (no underscores)
and would refuse whole legislature files for one link.
"""

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

SCHEMES = ("http", "https")
# One label of a host name: letters of any script, digits, underscores and inner hyphens.
LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SPACE = re.compile(r"\s")


def problem(value):
    """What keeps `value` from being a web address a record may keep, in words; None when it is one."""
    if CONTROL.search(value):
        return "a web address has no line breaks, tabs or other control characters"
    try:
        parts = urlsplit(value)
        port = parts.port  # reads and checks the port
    except ValueError as error:
        return f"not a web address ({error})"
    if SPACE.search(parts.scheme + parts.netloc) or value != value.strip():
        return "a web address has no spaces around it or in its host"
    if parts.scheme.lower() not in SCHEMES:
        if not parts.scheme:
            return "a web address starts with http:// or https://"
        return f"only http and https addresses are kept, not {parts.scheme}:"
    if not parts.netloc or not parts.hostname:
        return "the address names no host"
    if port == 0:
        return "port 0 is not a port a browser opens"
    return _host_problem(parts.hostname)


def _host_problem(host):
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if len(labels) < 2:
        return f"{host!r} is not a full host name (it has no domain)"
    if len(host) > 253 or not all(LABEL.match(_ascii(label)) for label in labels):
        return f"{host!r} is not a well-formed host name"
    if labels[-1].isdigit():
        return f"{host!r} is neither an IP address nor a host name"
    return None


def _ascii(label):
    """A label as it travels (punycode), so that its length is checked as DNS counts it."""
    if label.isascii():
        return label
    try:
        return "xn--" + label.encode("punycode").decode("ascii")
    except UnicodeError:
        return "-"  # fails the label pattern


# Query parameters that say how a reader came to a page, not which page it is.
TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|ref_src|cmpid)$", re.IGNORECASE
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalized(url):
    """The address of the same page, written one way: scheme and host in lower case, no default port, no
    fragment, no tracking parameters (utm_*, fbclid …); the path and the other parameters as they are."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc += f":{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def validate_web_address(value):
    reason = problem(value)
    if reason:
        raise ValidationError(f"Enter a web address: {reason}.", code="not_a_web_address")


SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class WebAddressFormField(forms.URLField):
    """A form's URL field with the rule: an address typed without a scheme gets https://, nothing else changes."""

    default_validators = [validate_web_address]

    def __init__(self, *, assume_scheme="https", **kwargs):
        super().__init__(assume_scheme=assume_scheme, **kwargs)

    def to_python(self, value):
        value = forms.CharField.to_python(self, value)
        if value and not SCHEME.match(value):
            value = f"{self.assume_scheme}://{value}"
        return value


class WebAddressField(models.URLField):
    """A URL field that keeps what browsers open (validate_web_address), in every form and import."""

    default_validators = [validate_web_address]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebAddressFormField, **kwargs})
