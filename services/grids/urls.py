from django.urls import path

from services.grids import views

app_name = "grids"
urlpatterns = [
    path("", views.grid_home, name="home"),
    path("due/", views.due, name="due"),
    path("households/<int:pk>/", views.household, name="household"),
    path("visits/<int:pk>/hand-over/", views.visit_hand_over, name="visit_hand_over"),
    path("patrols/", views.patrols, name="patrols"),
    path("patrols/new/", views.patrol_new, name="patrol_new"),
    path("patrols/<int:pk>/", views.patrol, name="patrol"),
    path("patrols/<int:pk>/photos/<int:photo_pk>/", views.patrol_photo, name="patrol_photo"),
    path("patrols/<int:pk>/hand-over/", views.patrol_hand_over, name="patrol_hand_over"),
]
