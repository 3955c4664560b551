from django.urls import include, path

from services.views import hall

app_name = "services"
urlpatterns = [
    # 便民服务站: catalogue (public)
    path("", hall.catalogue, name="catalogue"),
    path("search/", hall.search, name="search"),
    path("items/<int:pk>/", hall.item_detail, name="item"),
    # booking
    path("items/<int:pk>/book/", hall.book, name="book"),
    path("items/<int:pk>/book/<int:slot_pk>/", hall.book_confirm, name="book_confirm"),
    path("my/bookings/", hall.my_bookings, name="my_bookings"),
    path("bookings/<str:code>/", hall.booking_detail, name="booking"),
    path("bookings/<str:code>/cancel/", hall.booking_cancel, name="booking_cancel"),
    path("bookings/<str:code>/reschedule/", hall.booking_reschedule, name="booking_reschedule"),
    path("bookings/<str:code>/calendar.ics", hall.booking_ics, name="booking_ics"),
    # cases
    path("my/cases/", hall.my_cases, name="my_cases"),
    path("cases/new/", hall.case_new, name="case_new"),
    path("cases/<int:pk>/", hall.case_detail, name="case"),
    path("cases/<int:pk>/rate/", hall.case_rate, name="case_rate"),
    path("cases/<int:pk>/message/", hall.case_note, name="case_note"),
    path("cases/<int:case_pk>/files/<int:pk>/", hall.attachment_download, name="attachment"),
    # the counter desk (staff)
    path("desk/", hall.desk, name="desk"),
    path("desk/check-in/", hall.desk_check_in, name="desk_check_in"),
    path("desk/counters/<int:pk>/", hall.desk_counter, name="desk_counter"),
    path("desk/counters/<int:pk>/call-next/", hall.desk_call_next, name="desk_call_next"),
    path("desk/bookings/<int:pk>/finish/", hall.desk_finish, name="desk_finish"),
    path("desk/residents/", hall.desk_residents, name="desk_residents"),
    path("desk/residents/<int:pk>/", hall.desk_resident, name="desk_resident"),
    # the "now serving" board (public)
    path("board/<slug:slug>/", hall.board, name="board"),
    # 健康服务站 and 文化服务站, and the events and calendar of both
    path("health/", include("services.urls_health")),
    path("culture/", include("services.urls_culture")),
    path("", include("services.urls_stations")),
]
