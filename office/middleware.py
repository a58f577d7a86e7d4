"""Every page needs a signed-in user; the session ends after the policy's idle time; an expired
password must be changed before anything else (FIELD_NOTES.md, security baseline).

Idle time is measured from the user's last real request, kept in the session. Background polls
(the unread badge) are passive: they do not count as activity, so a page left open still logs out.

Public pages are the exception, named where they are defined: besides PUBLIC_PREFIXES (login,
static files, the health check), a view marked with Django's `login_not_required` decorator
(e.g. the proposer's signed rating link, proposals.views.ratings) is served without a sign-in.
Such a view must check its own credential (a signed token) on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from .models import SecurityPolicy
from .passwords import password_expired

PUBLIC_PREFIXES = ("/login/", "/static/", "/healthz")
PASSIVE_PATHS = ("/notifications/badge/",)
ACTIVITY_KEY = "office_last_activity"


def _marked_public(request):
    """True for a URL whose view is decorated with `login_not_required` (it sets the view's
    `login_required` attribute to False); unknown URLs are not public."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, "login_required", True) is False


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PUBLIC_PREFIXES) or _marked_public(request):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        policy = SecurityPolicy.current()
        now = time.time()
        last = request.session.get(ACTIVITY_KEY, now)
        if now - last > policy.idle_minutes * 60:
            logout(request)
            messages.info(request, f"您已超过 {policy.idle_minutes} 分钟未操作，请重新登录。")
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if path not in PASSIVE_PATHS:
            request.session[ACTIVITY_KEY] = now
        allowed = (reverse("password_change"), reverse("password_change_done"), reverse("logout"))
        if path not in allowed and password_expired(request.user, policy=policy):
            return redirect("password_change")
        return self.get_response(request)
