"""收文 pages: registration, the document's page with its actions, attachments, my lists."""

from django.shortcuts import render
from django.urls import path

from ..selectors import incoming_get_or_404


def detail(request, pk):
    document = incoming_get_or_404(request.user, pk)
    return render(request, "documents/incoming_detail.html", {"document": document})


urlpatterns = [
    path("incoming/<int:pk>/", detail, name="incoming-detail"),
]
