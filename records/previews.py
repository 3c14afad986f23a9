"""Uploaded files waiting between an import's preview and its confirmation.

django-import-export keeps the upload between the two steps and, by
default, reads the file's name back from the confirmation form: a client
could name, import and delete any file of the server's temporary folder.
Here the file gets a random name in a private folder, the form carries that
name signed for the user's session, and the confirmation step refuses any
name that fails the signature before a file is touched. Files of refused
previews are removed at once; those of abandoned previews when they expire.
"""

import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from import_export.forms import ConfirmImportForm
from import_export.tmp_storages import BaseStorage

NAME = re.compile(r"^[0-9a-f]{32}$")


def folder():
    path = Path(settings.IMPORT_PREVIEW_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def sweep():
    """Remove the files of previews nobody confirmed in time."""
    expired = time.time() - settings.IMPORT_PREVIEW_MAX_AGE
    for path in folder().iterdir():
        if NAME.match(path.name) and path.stat().st_mtime < expired:
            path.unlink(missing_ok=True)


class PreviewStorage(BaseStorage):
    """Files named by this server only: 32 random hex digits in IMPORT_PREVIEW_DIR."""

    def save(self, data):
        sweep()
        self.name = secrets.token_hex(16)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(descriptor, "wb") as file:
            file.write(data if isinstance(data, bytes) else data.encode(self.encoding or "utf-8"))

    def read(self):
        encoding = None if "b" in self.read_mode else self.encoding
        with open(self.path, self.read_mode, encoding=encoding) as file:
            return file.read()

    def remove(self):
        self.path.unlink(missing_ok=True)

    @property
    def path(self):
        if not NAME.match(self.name or ""):
            raise ValueError("not the name of an import preview")
        return folder() / self.name


def _salt(request):
    return f"records.previews:{request.user.pk}:{request.session.session_key}"


def sign(name, request):
    """The name as the confirmation form carries it: only this session can give it back."""
    return signing.dumps(name, salt=_salt(request))


class SignedConfirmImportForm(ConfirmImportForm):
    """The confirmation step: accepts only a preview that this session made, and not too long ago."""

    request = None  # set by the admin

    def clean_import_file_name(self):
        minutes = settings.IMPORT_PREVIEW_MAX_AGE // 60
        try:
            name = signing.loads(
                self.cleaned_data["import_file_name"], salt=_salt(self.request), max_age=settings.IMPORT_PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            raise ValidationError(
                f"This preview is not one of yours, or is older than {minutes} minutes: upload the file again.",
                code="foreign_preview",
            ) from None
        if not PreviewStorage(name=name).path.exists():
            raise ValidationError(
                "This preview was imported already, or has expired: upload the file again.", code="gone_preview"
            )
        return name
