from django.urls import path

from services.health import views

app_name = "health"
urlpatterns = [
    path("my/", views.my_file, name="my_file"),
    path("my/access-log/", views.my_access_log, name="my_access_log"),
    path("my/download.json", views.my_download, name="my_download"),
    path("my/checkup/", views.my_checkup, name="my_checkup"),
    path("my/checkup/slots/<int:slot_id>/book/", views.my_checkup_book, name="my_checkup_book"),
    path("my/checkup/bookings/<int:booking_id>/cancel/", views.my_checkup_cancel, name="my_checkup_cancel"),
    path("files/", views.files, name="files"),
    path("files/<int:pk>/", views.file_detail, name="file"),
    path("files/<int:pk>/readings/", views.reading_add, name="reading_add"),
    path("files/<int:pk>/follow-ups/", views.followup_add, name="followup_add"),
    path("files/<int:pk>/maternal-visits/", views.maternal_add, name="maternal_add"),
    path("files/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("residents/<int:resident_id>/open/", views.file_open, name="file_open"),
    path("focus/", views.focus_groups, name="focus"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("slots/<int:pk>/", views.slot_detail, name="slot"),
]
