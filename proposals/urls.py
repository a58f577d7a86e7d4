from .views import intake, proposals, ratings, sessions, stats

app_name = "proposals"

urlpatterns = [
    *proposals.urlpatterns,
    *intake.urlpatterns,
    *sessions.urlpatterns,
    *ratings.urlpatterns,
    *stats.urlpatterns,
]
