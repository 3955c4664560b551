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

from services.views import culture_staff  # noqa: E402

urlpatterns += [
    path("staff/teams/<int:pk>/weekly/", culture_staff.team_weekly, name="team_weekly"),
    path("staff/classes/<int:pk>/sessions/", culture_staff.class_sessions, name="class_sessions"),
    path("staff/sessions/<int:pk>/attendance/", culture_staff.session_attendance, name="session_attendance"),
]
