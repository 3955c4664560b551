from django.urls import path

from services.events import views

app_name = "stations"
urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/photos/<int:photo_pk>/", views.event_photo, {"size": "image"}, name="event_image"),
    path(
        "events/<int:pk>/photos/<int:photo_pk>/thumb/", views.event_photo, {"size": "thumbnail"}, name="event_thumbnail"
    ),
    path("events/<int:pk>/register/", views.event_register_view, name="event_register"),
    path("calendar/", views.month_calendar, name="calendar"),
    path("calendar/<slug:slug>/", views.month_calendar, name="calendar_community"),
    path("calendar/<slug:slug>.ics", views.ical_feed, name="ical"),
]
