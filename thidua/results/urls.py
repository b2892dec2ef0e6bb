from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.results import views

app_name = "results"
period = "<slug:period_code>/"
urlpatterns = [
    # The index lists, per period, only the pages the caller may open.
    scoped(Scope.AUTHENTICATED, path("", views.index, name="index")),
    scoped(Scope.DASHBOARD, path("dashboard/", views.dashboard_latest, name="dashboard_latest")),
    scoped(Scope.PUBLIC, path("public/<slug:period_code>/", views.public_results, name="public")),
    scoped(Scope.RANKING, path(period + "ranking/", views.ranking_default, name="ranking_default")),
    scoped(
        Scope.RANKING, path(period + "ranking/<slug:level_code>/", views.ranking, name="ranking")
    ),
    scoped(
        Scope.RESULTS_DETAIL,
        path(period + "gaps/<slug:level_code>/", views.level_gaps, name="level_gaps"),
    ),
    scoped(
        Scope.UNIT_READ,
        path(period + "units/<str:unit_code>/gaps/", views.unit_gaps, name="unit_gaps"),
    ),
    scoped(Scope.DASHBOARD, path(period + "dashboard/", views.dashboard, name="dashboard")),
    scoped(
        Scope.PROVINCE_OFFICE,
        path(period + "public/", views.public_switch, name="public_switch"),
    ),
]
