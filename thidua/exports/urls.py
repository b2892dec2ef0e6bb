from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.exports import views

app_name = "exports"
ranking = "<slug:period_code>/ranking/<slug:level_code>"
sheet = "<slug:period_code>/units/<str:unit_code>/sheet"
urlpatterns = [
    scoped(
        Scope.RANKING,
        path(f"{ranking}.xlsx", views.ranking_export, {"fmt": "xlsx"}, name="ranking_xlsx"),
    ),
    scoped(
        Scope.RANKING,
        path(f"{ranking}.pdf", views.ranking_export, {"fmt": "pdf"}, name="ranking_pdf"),
    ),
    scoped(
        Scope.RANKING,
        path(f"{ranking}.docx", views.ranking_export, {"fmt": "docx"}, name="ranking_docx"),
    ),
    scoped(
        Scope.UNIT_READ,
        path(f"{sheet}.xlsx", views.sheet_export, {"fmt": "xlsx"}, name="sheet_xlsx"),
    ),
    scoped(
        Scope.UNIT_READ,
        path(f"{sheet}.pdf", views.sheet_export, {"fmt": "pdf"}, name="sheet_pdf"),
    ),
]
