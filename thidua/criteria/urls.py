from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.criteria import views

app_name = "criteria"
# The criteria libraries are the contest's published rules: every signed-in user reads them.
urlpatterns = [
    scoped(Scope.AUTHENTICATED, path("", views.version_list, name="versions")),
    scoped(
        Scope.AUTHENTICATED,
        path("<slug:set_code>/<str:version>/", views.level_detail, name="version"),
    ),
    scoped(
        Scope.AUTHENTICATED,
        path("<slug:set_code>/<str:version>/<slug:level_code>/", views.level_detail, name="level"),
    ),
]
