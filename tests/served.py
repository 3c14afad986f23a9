"""A production server for tests, and a visitor that speaks HTTP to it.

`served()` runs scripts/serve (what `make serve` runs) on a free loopback
port: DEBUG off, HTTPS on behind a proxy, whose headers (X-Forwarded-Proto,
X-Forwarded-For) every `Visitor` request carries.
"""

import http.client
import os
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from bench.common import serve

ADMIN = "/office/"  # where the served admin lives (ADMIN_URL)


def served(folder, environment):
    """scripts/serve with these settings over production's, for tests: two workers of two threads, quiet.

    A context manager yielding the server's port, pid and log (bench.common.serve).
    """
    return serve(
        folder,
        {
            "PATH": os.environ["PATH"],
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "TRUSTED_PROXIES": "1",
            "STATIC_ROOT": str(folder / "static"),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "2",
            "ACCESS_LOG": "",
            **environment,
        },
    )


@dataclass
class Answer:
    status_code: int
    headers: dict
    content: bytes
    cookies: dict

    def __getitem__(self, name):
        return self.headers[name.lower()]

    @property
    def text(self):
        return self.content.decode()


class Session:
    """What records/previews.py reads of a session: its key and its user."""

    def __init__(self, key, user_pk):
        self.session_key = key
        self._user = str(user_pk) if user_pk else None

    def get(self, name, default=None):
        return self._user if name == "_auth_user_id" else default


class Visitor:
    """A browser, as far as these tests need one: cookies kept, redirects not followed, behind the proxy.

    Speaks the django.test.Client's get/post, so that the matrix's probes can
    be sent through it; admin paths are moved to the served site's /office/.
    """

    def __init__(self, port, address="198.51.100.7", https=True):  # an address of documentation's
        self.port, self.address, self.https = port, address, https
        self.cookies = {}
        self.user_pk = None

    def request(self, method, path, data=None, csrf=True, origin=None, headers=()):
        if path.startswith("/admin/"):
            path = ADMIN + path.removeprefix("/admin/")
        sent = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-For": self.address, **dict(headers)}
        if self.https:
            sent["X-Forwarded-Proto"] = "https"
        body = None
        if method == "POST":
            data = data or {}
            if any(isinstance(value, SimpleUploadedFile) for value in data.values()):
                body, sent["Content-Type"] = encode_multipart(BOUNDARY, data), MULTIPART_CONTENT
            else:
                body = urlencode(data, doseq=True).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = origin or f"https://127.0.0.1:{self.port}"
            if csrf and "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
        elif data:
            path += "?" + urlencode(data, doseq=True)
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        link = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            link.request(method, path, body, sent)
            response = link.getresponse()
            content = response.read()
        finally:
            link.close()
        set_here = {}
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                set_here[name] = morsel
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        headers = {name.lower(): value for name, value in response.getheaders() if name.lower() != "set-cookie"}
        return Answer(response.status, headers, content, set_here)

    def get(self, path, data=None, **options):
        return self.request("GET", path, data, **options)

    def post(self, path, data=None, **options):
        return self.request("POST", path, data, **options)

    def log_in(self, username, password):
        """The login form, as a person fills it in; its answer (302 when it worked)."""
        self.get(f"{ADMIN}login/")  # the CSRF cookie
        answer = self.post(f"{ADMIN}login/", {"username": username, "password": password})
        if answer.status_code == 302:
            self.user_pk = get_user_model().objects.get(username=username).pk
        return answer

    def force_login(self, user):
        """A session for `user`, made in the database as the login form would make it (and with the site's key)."""
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        self.cookies["sessionid"] = store.session_key
        self.user_pk = user.pk
        self.get(f"{ADMIN}login/")  # the CSRF cookie

    @property
    def session(self):
        return Session(self.cookies.get("sessionid"), self.user_pk)
