from django.urls import path

from thidua.reviews import actions, views

app_name = "reviews"
unit = "<slug:period_code>/units/<str:unit_code>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:period_code>/", views.queue, name="queue"),
    path(unit, views.unit, name="unit"),
    path(unit + "criteria/<str:criterion_code>/<slug:action>/", actions.decide, name="decide"),
    path(unit + "comments/", actions.comment_general, name="comment"),
    path(unit + "comments/<uuid:comment_uuid>/resolve/", actions.resolve, name="resolve"),
    path(unit + "accept-remaining/", actions.accept_remaining, name="accept_remaining"),
    path(unit + "return/", actions.return_to_unit, name="return"),
    path(unit + "verify/", actions.verify, name="verify"),
    path(unit + "finalize/", actions.finalize, name="finalize"),
    path(unit + "reopen/", actions.reopen, name="reopen"),
]
