from .views import manage, shell

app_name = "office"

urlpatterns = shell.urlpatterns + manage.urlpatterns
