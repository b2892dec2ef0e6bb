"""Included at `inspections/`."""

from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.inspections import views

app_name = "inspections"
sample = "<slug:period_code>/<uuid:sample_uuid>/"
urlpatterns = [
    scoped(Scope.PROVINCE_OFFICE, path("<slug:period_code>/", views.sample_list, name="list")),
    scoped(Scope.PROVINCE_INSPECT, path("<slug:period_code>/draw/", views.draw, name="draw")),
    scoped(Scope.PROVINCE_OFFICE, path(sample, views.sample_detail, name="sample")),
    scoped(
        Scope.PROVINCE_INSPECT,
        path(sample + "units/<str:unit_code>/", views.result_edit, name="result"),
    ),
]
