"""Every page needs a signed-in user; the session ends after the policy's idle time; an expired
password must be changed before anything else."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from .models import SecurityPolicy
from .passwords import password_expired

PUBLIC_PREFIXES = ("/login/", "/static/", "/healthz")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(PUBLIC_PREFIXES):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            request.session.set_expiry(SecurityPolicy.current().idle_minutes * 60)
            allowed = (
                reverse("password_change"),
                reverse("password_change_done"),
                reverse("logout"),
            )
            if path not in allowed and password_expired(request.user):
                return redirect("password_change")
        return self.get_response(request)
