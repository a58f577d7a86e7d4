"""Sign-in events go to the trail: every user, time, event type and outcome (等保 audit)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import trail


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    trail.record(
        action="login", action_label="登录", actor=user, obj=user, ip=trail.client_ip(request)
    )


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        trail.record(
            action="logout", action_label="退出", actor=user, obj=user, ip=trail.client_ip(request)
        )


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:60]
    trail.record(
        action="login_failed",
        action_label="登录失败",
        opinion=f"用户名：{username}",
        ip=trail.client_ip(request),
        outcome="failure",
    )
