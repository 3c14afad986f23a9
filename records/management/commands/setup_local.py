import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from records.batch.schema import TABLES

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Prepare the local run (make run): migrate, load the founding article into an empty database, and "
        "make the admin login once. Run again, it changes no data and no password. Refused when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--reset-password", action="store_true", help="Give the local superuser a new password.")

    def handle(self, *args, username, reset_password, **options):
        if not settings.DEBUG:
            raise CommandError("setup_local is for the local run only (DEBUG is off); use migrate and createsuperuser.")
        call_command("migrate", interactive=False, verbosity=0)
        self.load_article()
        self.admin_login(username, reset_password)

    def load_article(self):
        # Only into an empty database: loading fixtures overwrites records by
        # their keys, and an editor's work must survive a restart. The records
        # are what the CSV files carry; the data version's row, which the
        # migrations make, is no record.
        models = {table.model for table in TABLES.values()}
        if any(model._base_manager.exists() for model in models):
            self.stdout.write("The database already holds records: the founding article was not loaded again.")
            return
        fixtures = sorted(str(path) for path in FIXTURES.glob("*.json"))
        call_command("loaddata", *fixtures, verbosity=0)
        self.stdout.write(f"Loaded the founding article into the empty database ({len(fixtures)} fixture file).")

    def admin_login(self, username, reset_password):
        users = get_user_model().objects
        user = users.filter(username=username).first()
        if user is not None and not reset_password:
            self.stdout.write(
                f"The local superuser {username!r} exists; its password is unchanged. For a new one:\n"
                f"    .venv/bin/python manage.py setup_local --reset-password\n"
            )
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            users.create_superuser(username=username, email="", password=password)
            action = "Created the local superuser"
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
            action = "Set a new password for the local superuser"
        self.stdout.write(
            self.style.SUCCESS(f"{action} {username!r}. Log in at {reverse('admin:index')} with")
            + f"\n    username: {username}\n    password: {password}\n"
        )
