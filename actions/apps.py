from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Commitments and follow-up"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from actions.models import Commitment, CommitmentParty
        from actions.selectors import register_changed

        # The cached counts of the home pages follow what max(updated_at) does not show.
        for uid, signal, sender in (
            ("commitment_deleted", post_delete, Commitment),
            ("link_deleted", post_delete, CommitmentParty),
            ("link_saved", post_save, CommitmentParty),
            ("links_changed", m2m_changed, Commitment.parties.through),
        ):
            signal.connect(register_changed, sender=sender, dispatch_uid=f"actions.{uid}")
