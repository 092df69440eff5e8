"""Create the demo users: `secretariat` (staff) and one `delegate-xx` per state or guest party.

Idempotent: users that exist keep their data; passwords are reset to DEMO_PASSWORD so the
README's quick start always works.
"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from parties.models import Membership, Party, PartyKind


class Command(BaseCommand):
    help = "Create or refresh the demo users (password from DEMO_PASSWORD, default 'demo')."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo"))

    @transaction.atomic
    def handle(self, *args, password: str, **options):
        User = get_user_model()
        rows = []
        secretariat_party = Party.objects.filter(kind=PartyKind.SECRETARIAT).first()
        user, _ = User.objects.update_or_create(
            username="secretariat",
            defaults={
                "email": "secretariat@example.org",
                "is_staff": True,
                "is_superuser": True,
                "first_name": "Secretariat",
                "last_name": "Staff",
            },
        )
        user.set_password(password)
        user.save()
        if secretariat_party:
            Membership.objects.update_or_create(user=user, defaults={"party": secretariat_party})
        rows.append(("secretariat", "OTS Secretariat (staff)"))
        kinds = [PartyKind.MEMBER, PartyKind.OBSERVER, PartyKind.GUEST]
        for party in Party.objects.filter(kind__in=kinds).order_by("order", "code"):
            username = f"delegate-{party.code.lower()}"
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.org",
                    "is_staff": False,
                    "is_superuser": False,
                    "first_name": party.name,
                    "last_name": "Delegation",
                },
            )
            user.set_password(password)
            user.save()
            Membership.objects.update_or_create(user=user, defaults={"party": party})
            rows.append((username, f"delegation of {party.name}"))
        self.stdout.write(f"Demo users (password: {password!r}):")
        for username, role in rows:
            self.stdout.write(f"  {username:<18} {role}")
