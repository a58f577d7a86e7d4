from .views import register, stats

app_name = "documents"

urlpatterns = [
    *register.urlpatterns,
    *stats.urlpatterns,
]
