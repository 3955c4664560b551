"""The services app's URLs: the hall in the `services` namespace, each station in its own (names as before:
services:catalogue, services:health:files, services:culture:rooms, services:stations:calendar …)."""

from django.urls import include, path

app_name = "services"
urlpatterns = [
    path("", include("services.hall.urls")),
    # 健康服务站 and 文化服务站, and the events and calendar of both
    path("health/", include("services.health.urls")),
    path("culture/", include("services.culture.urls")),
    # 物业进社区: property companies, the property hotline's repairs, the appraisal
    path("property/", include("services.property.urls")),
    path("", include("services.events.urls")),
    # grid work (网格化管理): the grid worker's pages
    path("grids/", include("services.grids.urls")),
    # self check-in by QR code (the staff scan page)
    path("", include("services.checkin.urls")),
]
