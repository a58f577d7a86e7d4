from django.contrib.auth import views as auth_views
from django.urls import include, path

from .admin import site as operations_site
from .views import account

urlpatterns = [
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", account.password_change_done, name="password_change_done"),
    path("healthz", account.healthz, name="healthz"),
    path("", include("office.urls_core")),
    path("documents/", include("documents.urls")),
    path("meetings/", include("meetings.urls")),
    path("supervision/", include("supervision.urls")),
    path("proposals/", include("proposals.urls")),
    path("operations/", operations_site.urls),
]
