from .views import meetings, minutes, topics

app_name = "meetings"

urlpatterns = [
    *topics.urlpatterns,
    *meetings.urlpatterns,
    *minutes.urlpatterns,
]
