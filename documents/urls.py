from .views import incoming, printing, register, stats

app_name = "documents"

urlpatterns = [
    *incoming.urlpatterns,
    *register.urlpatterns,
    *stats.urlpatterns,
    *printing.urlpatterns,
]
