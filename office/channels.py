"""Outside channels for notifications. The SMS gateway is the office's own; in development the
console backend prints the message."""

import logging

log = logging.getLogger(__name__)


class ConsoleSmsBackend:
    def send(self, phone, text):
        log.info("短信 → %s：%s", phone, text)
        print(f"[短信] {phone}: {text}", flush=True)
