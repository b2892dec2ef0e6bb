"""Included at `explanations/`. Everything hangs under a period's code."""

from django.urls import path

from thidua.explanations import views

app_name = "explanations"
urlpatterns = [
    path("<slug:period_code>/", views.explanation_list, name="list"),
    path("<slug:period_code>/period/", views.period_manage, name="period"),
    path("<slug:period_code>/period/<slug:name>/", views.period_transition, name="transition"),
    path(
        "<slug:period_code>/units/<str:unit_code>/criteria/<str:criterion_code>/",
        views.file,
        name="file",
    ),
    path(
        "<slug:period_code>/attachments/<uuid:attachment_uuid>/",
        views.attachment_download,
        name="attachment",
    ),
    path("<slug:period_code>/<uuid:explanation_uuid>/", views.explanation_detail, name="detail"),
]
