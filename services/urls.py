from django.urls import include, path

app_name = "services"
urlpatterns: list = [
    path("health/", include("services.urls_health")),
    path("culture/", include("services.urls_culture")),
    path("", include("services.urls_stations")),
]
