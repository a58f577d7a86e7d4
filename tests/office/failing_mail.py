"""A mail backend whose gateway is down: the outside world, the one thing tests may fake."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("邮件网关无响应")
