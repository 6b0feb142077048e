from django.urls import path

from actions import (
    views,
    views_calendar,
    views_lists,
    views_notifications,
    views_reopening,
    views_threads,
)

app_name = "actions"
urlpatterns = [
    path("mes-actions/", views_lists.my_actions, name="my_actions"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path(
        "actions/<int:action_pk>/comptes-rendus/nouveau/", views.report_create, name="report_create"
    ),
    path("comptes-rendus/a-relire/", views_lists.review_queue, name="review_queue"),
    path("comptes-rendus/<int:pk>/", views.report_detail, name="report"),
    path("comptes-rendus/<int:pk>/modifier/", views.report_edit, name="report_edit"),
    path("comptes-rendus/<int:pk>/transmettre/", views.report_submit, name="report_submit"),
    path(
        "comptes-rendus/<int:pk>/approuver/",
        views.report_review,
        {"verdict": "approve"},
        name="report_approve",
    ),
    path(
        "comptes-rendus/<int:pk>/renvoyer/",
        views.report_review,
        {"verdict": "return"},
        name="report_return",
    ),
    path(
        "comptes-rendus/<int:pk>/pieces-jointes/", views.attachment_upload, name="attachment_upload"
    ),
    path("pieces-jointes/<int:pk>/", views.attachment_download, name="attachment"),
    path("pieces-jointes/<int:pk>/supprimer/", views.attachment_delete, name="attachment_delete"),
]
urlpatterns += [
    path("conventions/<int:pk>/calendrier/", views_calendar.calendar_page, name="calendar"),
    path(
        "conventions/<int:pk>/calendrier/modalites/",
        views_calendar.terms_update,
        name="calendar_terms",
    ),
    path(
        "conventions/<int:pk>/calendrier/bilan-etape/",
        views_calendar.interim_add,
        name="calendar_interim",
    ),
    path("echeances/<int:pk>/", views_calendar.deadline_edit, name="deadline_edit"),
]
urlpatterns += [
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/", views_notifications.notification_open, name="notification_open"
    ),
    path(
        "notifications/tout-lire/",
        views_notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/preferences/",
        views_notifications.notification_preferences,
        name="notification_preferences",
    ),
]
urlpatterns += [
    path("actions/<int:pk>/echanges/", views_threads.action_thread, name="action_thread"),
    path("comptes-rendus/<int:pk>/echanges/", views_threads.report_thread, name="report_thread"),
    path(
        "messages/pieces-jointes/<int:pk>/",
        views_threads.message_attachment,
        name="message_attachment",
    ),
    path("comptes-rendus/<int:pk>/rouvrir/", views_reopening.report_reopen, name="report_reopen"),
]
