from django.urls import path

from thidua.exports import views

app_name = "exports"
ranking = "<slug:period_code>/ranking/<slug:level_code>"
sheet = "<slug:period_code>/units/<str:unit_code>/sheet"
urlpatterns = [
    path(f"{ranking}.xlsx", views.ranking_export, {"fmt": "xlsx"}, name="ranking_xlsx"),
    path(f"{ranking}.pdf", views.ranking_export, {"fmt": "pdf"}, name="ranking_pdf"),
    path(f"{ranking}.docx", views.ranking_export, {"fmt": "docx"}, name="ranking_docx"),
    path(f"{sheet}.xlsx", views.sheet_export, {"fmt": "xlsx"}, name="sheet_xlsx"),
    path(f"{sheet}.pdf", views.sheet_export, {"fmt": "pdf"}, name="sheet_pdf"),
]
