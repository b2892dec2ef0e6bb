from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.reviews import actions, views

app_name = "reviews"
unit = "<slug:period_code>/units/<str:unit_code>/"
criterion = unit + "criteria/<str:criterion_code>/"
urlpatterns = [
    scoped(Scope.REVIEW_QUEUE, path("", views.index, name="index")),
    scoped(Scope.REVIEW_QUEUE, path("<slug:period_code>/", views.queue, name="queue")),
    scoped(Scope.REVIEW_READ, path(unit, views.unit, name="unit")),
    scoped(
        Scope.REVIEW_APPRAISE,
        path(criterion + "<slug:action>/", actions.decide, name="decide"),
    ),
    scoped(
        Scope.REVIEW_RETURN,
        path(unit + "comments/", actions.comment_general, name="comment"),
    ),
    scoped(
        Scope.REVIEW_APPRAISE,
        path(unit + "comments/<uuid:comment_uuid>/resolve/", actions.resolve, name="resolve"),
    ),
    scoped(
        Scope.REVIEW_APPRAISE,
        path(unit + "accept-remaining/", actions.accept_remaining, name="accept_remaining"),
    ),
    scoped(Scope.REVIEW_RETURN, path(unit + "return/", actions.return_to_unit, name="return")),
    scoped(Scope.DISTRICT_VERIFY, path(unit + "verify/", actions.verify, name="verify")),
    scoped(Scope.PROVINCE_FINALIZE, path(unit + "finalize/", actions.finalize, name="finalize")),
    scoped(Scope.PROVINCE_FINALIZE, path(unit + "reopen/", actions.reopen, name="reopen")),
]
