from django.urls import path

from netweave.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<uuid:uid>/", views.consultation_detail, name="detail"),
    path("<uuid:uid>/edit/", views.consultation_edit, name="edit"),
    path("<uuid:uid>/open/", views.consultation_open, name="open"),
    path("<uuid:uid>/close/", views.consultation_close, name="close"),
    path("<uuid:uid>/comments/", views.comment_create, name="comment_create"),
    path("<uuid:uid>/comments/<uuid:comment>/edit/", views.comment_edit, name="comment_edit"),
    path(
        "<uuid:uid>/comments/<uuid:comment>/endorse/",
        views.comment_endorse,
        name="comment_endorse",
    ),
    path("<uuid:uid>/synthesis/", views.synthesis, name="synthesis"),
    path("<uuid:uid>/synthesis/publish/", views.consultation_publish, name="publish"),
    path(
        "<uuid:uid>/recommendations/<uuid:rec>/edit/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "<uuid:uid>/recommendations/<uuid:rec>/delete/",
        views.recommendation_delete,
        name="recommendation_delete",
    ),
    path("<uuid:uid>/recommendations/<uuid:rec>/dissent/", views.dissent_add, name="dissent_add"),
    path(
        "<uuid:uid>/recommendations/<uuid:rec>/response/",
        views.response_record,
        name="response_record",
    ),
    path("<uuid:uid>/feedback/", views.feedback_page, name="feedback"),
    path("<uuid:uid>/feedback.pdf", views.feedback_pdf_download, name="feedback_pdf"),
    path("<uuid:uid>/feedback.docx", views.feedback_docx_download, name="feedback_docx"),
]
