from .views import (
    incoming,
    outgoing,
    outgoing_batch,
    outgoing_register,
    outgoing_stats,
    printing,
    register,
    stats,
)

app_name = "documents"

urlpatterns = [
    *incoming.urlpatterns,
    *register.urlpatterns,
    *stats.urlpatterns,
    *printing.urlpatterns,
    # The fixed 发文 paths come before outgoing/<pk>/<step>/.
    *outgoing_register.urlpatterns,
    *outgoing_batch.urlpatterns,
    *outgoing_stats.urlpatterns,
    *outgoing.urlpatterns,
]
