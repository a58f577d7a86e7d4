from .views import meetings, minutes, stats, topics

app_name = "meetings"

urlpatterns = [
    *topics.urlpatterns,
    *meetings.urlpatterns,
    *minutes.urlpatterns,
    *stats.urlpatterns,
]
