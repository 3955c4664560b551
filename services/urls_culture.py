from django.urls import path

from services.views import culture as views

app_name = "culture"
urlpatterns = [
    path("rooms/", views.rooms, name="rooms"),
    path("rooms/<int:pk>/", views.room_detail, name="room"),
    path("classes/", views.classes, name="classes"),
    path("classes/<int:pk>/enrol/", views.class_enrol, name="class_enrol"),
    path("teams/", views.teams, name="teams"),
    path("my/", views.my_bookings, name="my"),
    path("my/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("my/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("my/enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
]
