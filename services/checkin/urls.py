"""The scan page, in the `services` namespace (services:scan)."""

from django.urls import path

from services.checkin import views

urlpatterns = [
    path("scan/", views.scan, name="scan"),
]
