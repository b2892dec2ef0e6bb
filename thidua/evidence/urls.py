"""Included at the root: `path("", include("thidua.evidence.urls"))`."""

from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.evidence import views

app_name = "evidence"
urlpatterns = [
    scoped(
        Scope.UNIT_EDIT,
        path(
            "periods/<slug:period_code>/units/<str:unit_code>/criteria/<str:criterion_code>/evidence/",
            views.upload,
            name="upload",
        ),
    ),
    scoped(
        Scope.UNIT_READ, path("evidence/<uuid:evidence_uuid>/", views.download, name="download")
    ),
    scoped(
        Scope.UNIT_EDIT,
        path("evidence/<uuid:evidence_uuid>/remove/", views.remove, name="remove"),
    ),
]
