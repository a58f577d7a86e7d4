from .views import bulletins, dashboard, imports, intake, items, ledger, outputs

app_name = "supervision"

urlpatterns = [
    *ledger.urlpatterns,
    *items.urlpatterns,
    *outputs.urlpatterns,
    *intake.urlpatterns,
    *dashboard.urlpatterns,
    *bulletins.urlpatterns,
    *imports.urlpatterns,
]
