"""URLs of the one-stop service hall, in the `services` namespace itself (services:catalogue, services:desk …)."""

from django.urls import path

from services.hall.views import booking, cases, catalogue, desk, desk_proxies, intake, link

urlpatterns = [
    # 便民服务站: catalogue (public)
    path("", catalogue.catalogue, name="catalogue"),
    path("search/", catalogue.search, name="search"),
    path("items/<int:pk>/", catalogue.item_detail, name="item"),
    # booking
    path("items/<int:pk>/book/", booking.book, name="book"),
    path("items/<int:pk>/book/<int:slot_pk>/", booking.book_confirm, name="book_confirm"),
    path("my/bookings/", booking.my_bookings, name="my_bookings"),
    path("bookings/<str:code>/", booking.booking_detail, name="booking"),
    path("bookings/<str:code>/cancel/", booking.booking_cancel, name="booking_cancel"),
    path("bookings/<str:code>/reschedule/", booking.booking_reschedule, name="booking_reschedule"),
    path("bookings/<str:code>/calendar.ics", booking.booking_ics, name="booking_ics"),
    # the sign-in-free link of the confirmation SMS: one appointment, view or cancel
    path("b/<str:token>/", link.booking_link, name="booking_link"),
    path("b/<str:token>/cancel/", link.booking_link_cancel, name="booking_link_cancel"),
    # cases
    path("my/cases/", cases.my_cases, name="my_cases"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/rate/", cases.case_rate, name="case_rate"),
    path("cases/<int:pk>/message/", cases.case_note, name="case_note"),
    path("cases/<int:case_pk>/files/<int:pk>/", cases.attachment_download, name="attachment"),
    # the counter desk (staff)
    path("desk/", desk.desk, name="desk"),
    path("desk/check-in/", desk.desk_check_in, name="desk_check_in"),
    path("desk/counters/<int:pk>/", desk.desk_counter, name="desk_counter"),
    path("desk/counters/<int:pk>/call-next/", desk.desk_call_next, name="desk_call_next"),
    path("desk/bookings/<int:pk>/finish/", desk.desk_finish, name="desk_finish"),
    path("desk/residents/", desk.desk_residents, name="desk_residents"),
    path("desk/residents/<int:pk>/", desk.desk_resident, name="desk_resident"),
    path("desk/channels/", intake.channels, name="case_channels"),
    path("desk/residents/<int:pk>/proxies/", desk_proxies.desk_proxies, name="desk_proxies"),
    # the "now serving" board (public)
    path("board/<slug:slug>/", desk.board, name="board"),
]
