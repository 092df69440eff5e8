"""Email backends for the reminder tests, importable by a Celery worker subprocess."""

import os
import smtplib
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses every recipient."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user") for m in messages})


class FilePerMessageBackend(BaseEmailBackend):
    """Writes each message to its own file in EMAIL_FILE_PATH, so another process can count
    what was sent. With OTS_TEST_MAIL_HANG_AFTER=N, the send after the N-th hangs (the test
    kills the worker there: claimed, not sent)."""

    def send_messages(self, messages):
        directory = Path(os.environ["EMAIL_FILE_PATH"])
        directory.mkdir(parents=True, exist_ok=True)
        hang_after = os.environ.get("OTS_TEST_MAIL_HANG_AFTER")
        for message in messages:
            if hang_after is not None and len(list(directory.glob("*.eml"))) >= int(hang_after):
                (directory / "hanging").touch()
                time.sleep(3600)
            tmp = directory / f"{uuid.uuid4().hex}.tmp"
            tmp.write_bytes(message.message().as_bytes())
            tmp.rename(tmp.with_suffix(".eml"))
        return len(messages)
