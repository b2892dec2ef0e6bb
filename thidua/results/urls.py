from django.urls import path

from thidua.results import views

app_name = "results"
period = "<slug:period_code>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard_latest, name="dashboard_latest"),
    path("public/<slug:period_code>/", views.public_results, name="public"),
    path(period + "ranking/", views.ranking_default, name="ranking_default"),
    path(period + "ranking/<slug:level_code>/", views.ranking, name="ranking"),
    path(period + "gaps/<slug:level_code>/", views.level_gaps, name="level_gaps"),
    path(period + "units/<str:unit_code>/gaps/", views.unit_gaps, name="unit_gaps"),
    path(period + "dashboard/", views.dashboard, name="dashboard"),
    path(period + "public/", views.public_switch, name="public_switch"),
]
