from django.urls import path

from volunteers.views import coordinate, public

app_name = "volunteers"
urlpatterns = [
    path("", public.index, name="index"),
    path("apply/", public.apply, name="apply"),
    path("activities/", public.activity_list, name="activity_list"),
    path("activities/<int:pk>/", public.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/signup/", public.activity_signup, name="activity_signup"),
    path("signups/<int:pk>/cancel/", public.signup_cancel, name="signup_cancel"),
    path("me/hours/", public.my_hours, name="my_hours"),
    path("me/badge/", public.my_badge, name="my_badge"),
    path("me/badge/status/", public.my_badge_status, name="my_badge_status"),
    path("badges/<int:pk>/image.png", public.badge_image, name="badge_image"),
    path("badge/v/<str:token>/", public.badge_verify, name="badge_verify"),
    path("party/", public.party_network, name="party_network"),
    path("party/duties/", public.duty_posts, name="duty_posts"),
    # Coordinators
    path("coordinate/", coordinate.dashboard, name="dashboard"),
    path("coordinate/applications/", coordinate.applications, name="applications"),
    path(
        "coordinate/applications/<int:pk>/approve/",
        coordinate.application_decide,
        {"decision": "approve"},
        name="application_approve",
    ),
    path(
        "coordinate/applications/<int:pk>/reject/",
        coordinate.application_decide,
        {"decision": "reject"},
        name="application_reject",
    ),
    path("coordinate/activities/new/", coordinate.activity_new, name="activity_new"),
    path("coordinate/activities/<int:pk>/", coordinate.roster, name="roster"),
    path("coordinate/activities/<int:pk>/scan/", coordinate.scan, name="scan"),
    path("coordinate/signups/<int:pk>/check-in/", coordinate.signup_step, {"step": "check_in"}, name="check_in"),
    path("coordinate/signups/<int:pk>/check-out/", coordinate.signup_step, {"step": "check_out"}, name="check_out"),
    path("coordinate/signups/<int:pk>/confirm/", coordinate.signup_step, {"step": "confirm"}, name="confirm_hours"),
    path("coordinate/signups/<int:pk>/correct/", coordinate.signup_correct, name="correct_hours"),
    path("coordinate/stats/", coordinate.stats, name="stats"),
    path("coordinate/growth/", coordinate.growth, name="growth"),
    path("coordinate/volunteers/", coordinate.volunteer_list, name="volunteer_list"),
    path("coordinate/volunteers/<int:pk>/statement/", coordinate.volunteer_statement, name="volunteer_statement"),
    path("coordinate/export.xlsx", coordinate.export_hours, name="export_hours"),
    path("coordinate/badges.pdf", coordinate.badge_sheet, name="badge_sheet"),
    path("coordinate/served/", coordinate.served_list, name="served_list"),
    path("coordinate/served/<int:pk>/", coordinate.served_detail, name="served_detail"),
]
