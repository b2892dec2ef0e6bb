"""Included at `explanations/`. Everything hangs under a period's code."""

from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.explanations import views

app_name = "explanations"
urlpatterns = [
    scoped(Scope.PROVINCE_OFFICE, path("<slug:period_code>/", views.explanation_list, name="list")),
    scoped(
        Scope.PROVINCE_OFFICE,
        path("<slug:period_code>/period/", views.period_manage, name="period"),
    ),
    scoped(
        Scope.PROVINCE_OFFICE,
        path("<slug:period_code>/period/<slug:name>/", views.period_transition, name="transition"),
    ),
    scoped(
        Scope.UNIT_EDIT,
        path(
            "<slug:period_code>/units/<str:unit_code>/criteria/<str:criterion_code>/",
            views.file,
            name="file",
        ),
    ),
    scoped(
        Scope.UNIT_READ,
        path(
            "<slug:period_code>/attachments/<uuid:attachment_uuid>/",
            views.attachment_download,
            name="attachment",
        ),
    ),
    # Everyone who sees the unit reads an explanation; only the province answers it.
    scoped(
        Scope.UNIT_READ,
        path(
            "<slug:period_code>/<uuid:explanation_uuid>/", views.explanation_detail, name="detail"
        ),
        post=Scope.EXPLANATION_ANSWER,
    ),
]
