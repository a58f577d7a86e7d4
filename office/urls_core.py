from .views import manage, pdf, shell

app_name = "office"

urlpatterns = shell.urlpatterns + manage.urlpatterns + pdf.urlpatterns
