from django.urls import path

from councils.views import comments, files, minutes, public, room, screen, staff, surveys

app_name = "councils"
urlpatterns = [
    # The open ledger (公开议事) and suggestions (献计献策): public, residents.
    path("", public.ledger, name="ledger"),
    path("c/<slug:slug>/", public.ledger, name="ledger_community"),
    path("c/<slug:slug>/minutes/", public.ledger_list, {"what": "minutes"}, name="ledger_minutes"),
    path("c/<slug:slug>/resolutions/", public.ledger_list, {"what": "resolutions"}, name="ledger_resolutions"),
    path("c/<slug:slug>/suggestions/", public.ledger_list, {"what": "suggestions"}, name="ledger_suggestions"),
    path("council/<int:pk>/", public.council_detail, name="council"),
    path("minutes/<int:pk>/", public.minutes_detail, name="minutes"),
    path("minutes/<int:pk>/print/", public.minutes_print, name="minutes_print"),
    path("minutes/<int:pk>/pdf/", public.minutes_pdf, name="minutes_pdf"),
    path("minutes/<int:pk>/files/<int:file_pk>/", files.minutes_attachment, name="minutes_attachment"),
    path("resolutions/<int:pk>/", public.resolution_detail, name="resolution"),
    path("resolutions/<int:pk>/progress/<int:progress_pk>/photo/", files.progress_photo, name="progress_photo"),
    path("suggest/", public.suggestion_new, name="suggestion_new"),
    path("my/", public.my_suggestions, name="my_suggestions"),
    path("s/<str:number>/", public.suggestion_detail, name="suggestion"),
    path("s/<str:number>/photo/", files.suggestion_photo, name="suggestion_photo"),
    path("s/<str:number>/support/", public.suggestion_support, name="suggestion_support"),
    path("s/<str:number>/rate/", public.suggestion_rate, name="suggestion_rate"),
    # Comments (residents of the community) on suggestions, resolutions and published minutes.
    path("s/<str:key>/comments/", comments.comment_post, {"kind": "suggestion"}, name="suggestion_comment"),
    path("s/<str:key>/follow/", comments.comment_follow, {"kind": "suggestion"}, name="suggestion_follow"),
    path("resolutions/<int:key>/comments/", comments.comment_post, {"kind": "resolution"}, name="resolution_comment"),
    path("resolutions/<int:key>/follow/", comments.comment_follow, {"kind": "resolution"}, name="resolution_follow"),
    path("minutes/<int:key>/comments/", comments.comment_post, {"kind": "minutes"}, name="minutes_comment"),
    path("minutes/<int:key>/follow/", comments.comment_follow, {"kind": "minutes"}, name="minutes_follow"),
    path("comments/<int:pk>/report/", comments.comment_report, name="comment_report"),
    # Surveys and polls (民意调查): residents answer, everyone reads published results.
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/thanks/", surveys.survey_thanks, name="survey_thanks"),
    path("surveys/<int:pk>/results/", surveys.survey_results_page, name="survey_results"),
    # The council staff's work.
    path("work/", staff.work_index, name="work"),
    path("work/setup/", staff.councils_setup, name="setup"),
    path("work/council/<int:council_pk>/meetings/new/", staff.meeting_create, name="meeting_create"),
    path("work/council/<int:council_pk>/nominations/new/", staff.nomination_create, name="nomination_create"),
    path("work/council/<int:council_pk>/pledges/new/", staff.pledge_create, name="pledge_create"),
    path("work/meeting/<int:pk>/", staff.meeting_detail, name="meeting"),
    path("work/meeting/<int:pk>/election/", staff.election, name="election"),
    path("work/meeting/<int:pk>/schedule/", staff.meeting_schedule, name="meeting_schedule"),
    path("work/meeting/<int:pk>/notice/", staff.meeting_notice, name="meeting_notice"),
    path("work/meeting/<int:pk>/cancel/", staff.meeting_cancel, name="meeting_cancel"),
    path("work/meeting/<int:pk>/agenda/", staff.agenda_add, name="agenda_add"),
    path("work/meeting/<int:pk>/attendance/", staff.attendance_save, name="attendance"),
    path("work/meeting/<int:pk>/export/", minutes.meeting_export, name="meeting_export"),
    path("work/meeting/<int:meeting_pk>/minutes/", minutes.minutes_edit, name="minutes_edit"),
    path("work/minutes/<int:pk>/autosave/", minutes.minutes_autosave, name="minutes_autosave"),
    path("work/minutes/<int:pk>/addendum/", minutes.minutes_addendum, name="minutes_addendum"),
    path("work/minutes/<int:pk>/attach/", minutes.minutes_attach, name="minutes_attach"),
    *[
        path(f"work/minutes/<int:pk>/{step}/", minutes.minutes_transition, {"step": step}, name=f"minutes_{step}")
        for step in ("submit", "approve", "return", "publish")
    ],
    # The meeting room: votes and speakers (the secretary), the projector, the members' phones.
    path("work/meeting/<int:pk>/room/", room.meeting_room, name="meeting_room"),
    path("work/meeting/<int:pk>/room/motion/", room.motion_add, name="motion_add"),
    path("work/meeting/<int:pk>/room/speaker/", room.speaker_add, name="speaker_add"),
    *[
        path(f"work/motion/<int:pk>/{step}/", room.motion_step, {"step": step}, name=f"motion_{step}")
        for step in ("open", "close")
    ],
    path("work/motion/<int:pk>/ballot/", room.ballot_enter, name="ballot_enter"),
    *[
        path(f"work/speaker/<int:pk>/{step}/", room.speaker_step, {"step": step}, name=f"speaker_{step}")
        for step in ("up", "down", "start", "stop", "withdraw")
    ],
    path("work/item/<int:pk>/show/", room.item_show, name="item_show"),
    path("work/meeting/<int:pk>/projector/", screen.projector, name="projector"),
    path("screen/<str:token>/", screen.projector_signed, name="projector_signed"),
    path("room/<int:pk>/", screen.member_room, name="member_room"),
    path("room/<int:pk>/speak/", screen.member_speak, name="member_speak"),
    path("room/vote/<int:pk>/", screen.member_vote, name="member_vote"),
    path("work/suggestions/", staff.triage_list, name="triage"),
    *[
        path(f"work/s/<str:number>/{step}/", staff.suggestion_triage, {"step": step}, name=f"suggestion_{step}")
        for step in ("reply", "decline", "merge", "agenda", "close")
    ],
    path("work/comments/", comments.comment_reports, name="comment_reports"),
    path("work/comments/<int:pk>/hide/", comments.comment_hide, name="comment_hide"),
    path("work/comments/<int:pk>/dismiss/", comments.comment_dismiss, name="comment_dismiss"),
    path("work/surveys/", surveys.staff_list, name="survey_staff_list"),
    path("work/surveys/new/", surveys.survey_create, name="survey_create"),
    path("work/surveys/<int:pk>/", surveys.survey_work, name="survey_work"),
    path("work/surveys/<int:pk>/edit/", surveys.survey_edit, name="survey_edit"),
    path("work/surveys/<int:pk>/questions/", surveys.question_add, name="survey_question_add"),
    path(
        "work/surveys/<int:pk>/questions/<int:question_pk>/delete/",
        surveys.question_delete,
        name="survey_question_delete",
    ),
    *[
        path(f"work/surveys/<int:pk>/{step}/", surveys.survey_step, {"step": step}, name=f"survey_{step}")
        for step in ("open", "close", "publish")
    ],
    path("work/surveys/<int:pk>/export.xlsx", surveys.survey_export, name="survey_export"),
    path("work/resolutions/<int:pk>/progress/", staff.resolution_progress, name="resolution_progress"),
]
