from django.urls import path

from services.culture import staff_views, views

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
    # culture-station staff
    path("staff/teams/<int:pk>/weekly/", staff_views.team_weekly, name="team_weekly"),
    path("staff/classes/<int:pk>/sessions/", staff_views.class_sessions, name="class_sessions"),
    path("staff/sessions/<int:pk>/attendance/", staff_views.session_attendance, name="session_attendance"),
]
