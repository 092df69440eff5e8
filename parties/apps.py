from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "parties"
    verbose_name = "Parties and delegations"

    def ready(self) -> None:
        from parties.backends import connect_signals

        connect_signals()
