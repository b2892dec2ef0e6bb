from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.assessments import views

app_name = "assessments"
unit = "<slug:period_code>/units/<str:unit_code>/"
urlpatterns = [
    scoped(
        Scope.AUTHENTICATED,
        path("<slug:period_code>/units/", views.period_units, name="period_units"),
    ),
    scoped(Scope.UNIT_READ, path(unit, views.assessment_detail, name="detail")),
    scoped(Scope.UNIT_READ, path(unit + "sheet/", views.score_sheet_view, name="sheet")),
    scoped(Scope.UNIT_READ, path(unit + "history/", views.history, name="history")),
    scoped(Scope.UNIT_SUBMIT, path(unit + "submit/", views.submit, name="submit")),
    scoped(
        Scope.UNIT_READ,
        path(unit + "export.xlsx", views.workbook_export, name="workbook_export"),
    ),
    scoped(Scope.UNIT_EDIT, path(unit + "import/", views.workbook_import, name="workbook_import")),
    scoped(
        Scope.UNIT_READ,
        path(unit + "criteria/<str:criterion_code>/", views.criterion_panel, name="criterion"),
    ),
    scoped(
        Scope.UNIT_EDIT,
        path(unit + "criteria/<str:criterion_code>/save/", views.criterion_save, name="save"),
    ),
]
