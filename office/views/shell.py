from django.shortcuts import render
from django.urls import path


def desk(request):
    return render(request, "office/desk.html", {})


urlpatterns = [path("", desk, name="desk")]
