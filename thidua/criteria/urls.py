from django.urls import path

from thidua.criteria import views

app_name = "criteria"
urlpatterns = [
    path("", views.version_list, name="versions"),
    path("<slug:set_code>/<str:version>/", views.level_detail, name="version"),
    path("<slug:set_code>/<str:version>/<slug:level_code>/", views.level_detail, name="level"),
]
