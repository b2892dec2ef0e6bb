from django.urls import path

from thidua.assessments import views

app_name = "assessments"
urlpatterns = [
    path("<slug:period_code>/units/", views.period_units, name="period_units"),
    path("<slug:period_code>/units/<str:unit_code>/", views.score_sheet_view, name="sheet"),
]
