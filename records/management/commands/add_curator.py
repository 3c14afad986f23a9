import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from records.roles import EDITORS, REVIEWERS


class Command(BaseCommand):
    help = (
        "Create a staff account for an editor (drafts) or a reviewer (drafts and publishing), "
        "with a generated password that is printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=["editor", "reviewer"], required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, email, **options):
        users = get_user_model().objects
        if users.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists; change their groups in the admin.")
        password = secrets.token_urlsafe(12)
        user = users.create_user(username=username, email=email, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=REVIEWERS if role == "reviewer" else EDITORS))
        login = reverse("admin:index")  # where ADMIN_URL puts the admin
        self.stdout.write(f"Created {role} {username!r}. Log in at {login} with\n    password: {password}\n")
