"""Included at `inspections/`."""

from django.urls import path

from thidua.inspections import views

app_name = "inspections"
sample = "<slug:period_code>/<uuid:sample_uuid>/"
urlpatterns = [
    path("<slug:period_code>/", views.sample_list, name="list"),
    path("<slug:period_code>/draw/", views.draw, name="draw"),
    path(sample, views.sample_detail, name="sample"),
    path(sample + "units/<str:unit_code>/", views.result_edit, name="result"),
]
