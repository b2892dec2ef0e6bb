from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.sources import views

app_name = "sources"
urlpatterns = [
    scoped(Scope.PROVINCE_OFFICE, path("", views.upload, name="upload")),
    scoped(
        Scope.PROVINCE_OFFICE,
        path("periods/<slug:period_code>/", views.period_imports, name="period_imports"),
    ),
    scoped(Scope.PROVINCE_OFFICE, path("imports/<uuid:import_uuid>/", views.detail, name="detail")),
    scoped(
        Scope.PROVINCE_OFFICE,
        path("imports/<uuid:import_uuid>/confirm/", views.confirm, name="confirm"),
    ),
    scoped(
        Scope.PROVINCE_OFFICE,
        path("imports/<uuid:import_uuid>/discard/", views.discard, name="discard"),
    ),
]
