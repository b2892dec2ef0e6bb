"""Included at the root: `path("", include("thidua.evidence.urls"))`."""

from django.urls import path

from thidua.evidence import views

app_name = "evidence"
urlpatterns = [
    path(
        "periods/<slug:period_code>/units/<str:unit_code>/criteria/<str:criterion_code>/evidence/",
        views.upload,
        name="upload",
    ),
    path("evidence/<uuid:evidence_uuid>/", views.download, name="download"),
    path("evidence/<uuid:evidence_uuid>/remove/", views.remove, name="remove"),
]
