from django.urls import path

from thidua.sources import views

app_name = "sources"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("periods/<slug:period_code>/", views.period_imports, name="period_imports"),
    path("imports/<uuid:import_uuid>/", views.detail, name="detail"),
    path("imports/<uuid:import_uuid>/confirm/", views.confirm, name="confirm"),
    path("imports/<uuid:import_uuid>/discard/", views.discard, name="discard"),
]
