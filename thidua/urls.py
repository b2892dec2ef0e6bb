from django.contrib import admin
from django.urls import include, path

from thidua.accounts.url_access import Scope, scoped
from thidua.accounts.views import home
from thidua.operations.views import healthz

# Every route declares its scope (thidua/accounts/url_access.py): here, or in the app's
# urls.py for an app's include, or once for a self-guarding include (admin, i18n).
urlpatterns = [
    scoped(Scope.AUTHENTICATED, path("", home, name="home")),
    scoped(Scope.PUBLIC, path("healthz", healthz, name="healthz")),
    path("accounts/", include("thidua.accounts.urls")),
    path("criteria/", include("thidua.criteria.urls")),
    path("periods/", include("thidua.assessments.urls")),
    path("", include("thidua.evidence.urls")),
    path("reviews/", include("thidua.reviews.urls")),
    path("sources/", include("thidua.sources.urls")),
    path("explanations/", include("thidua.explanations.urls")),
    path("inspections/", include("thidua.inspections.urls")),
    path("results/", include("thidua.results.urls")),
    path("awards/", include("thidua.awards.urls")),
    path("exports/", include("thidua.exports.urls")),
    path("api/", include("thidua.api.urls")),
    scoped(Scope.PUBLIC, path("i18n/", include("django.conf.urls.i18n"))),
    scoped(Scope.STAFF, path("admin/", admin.site.urls)),
]
