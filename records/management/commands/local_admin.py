import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Give the local run a superuser to log into /admin/ with: creates (or resets) the "
        "account with a freshly generated password and prints it. Refused when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("local_admin is for the local run only (DEBUG is off); use createsuperuser.")
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        action = "Created" if created else "Reset the password of"
        self.stdout.write(
            self.style.SUCCESS(f"{action} the local superuser. Log in at /admin/ as")
            + f"\n    username: {username}\n    password: {password}\n"
        )
