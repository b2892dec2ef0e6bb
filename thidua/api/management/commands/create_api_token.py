from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from thidua.api import tokens


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="What the token is for.")
        parser.add_argument("--read-only", action="store_true", help="A token that can only read.")

    def handle(self, *args, username, name, read_only, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        try:
            created = tokens.create_token(user=user, name=name, can_write=not read_only)
        except tokens.TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(created.plaintext)
