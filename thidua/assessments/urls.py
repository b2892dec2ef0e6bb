from django.urls import path

from thidua.assessments import views

app_name = "assessments"
unit = "<slug:period_code>/units/<str:unit_code>/"
urlpatterns = [
    path("<slug:period_code>/units/", views.period_units, name="period_units"),
    path(unit, views.assessment_detail, name="detail"),
    path(unit + "sheet/", views.score_sheet_view, name="sheet"),
    path(unit + "history/", views.history, name="history"),
    path(unit + "submit/", views.submit, name="submit"),
    path(unit + "export.xlsx", views.workbook_export, name="workbook_export"),
    path(unit + "import/", views.workbook_import, name="workbook_import"),
    path(unit + "criteria/<str:criterion_code>/", views.criterion_panel, name="criterion"),
    path(unit + "criteria/<str:criterion_code>/save/", views.criterion_save, name="save"),
]
