from django.urls import path

from thidua.accounts.url_access import Scope, scoped
from thidua.awards import views

app_name = "awards"
proposal = "proposals/<uuid:proposal_uuid>/"
urlpatterns = [
    scoped(Scope.AWARDS_READ, path("", views.proposal_list, name="list")),
    scoped(Scope.AWARDS_EDIT, path("<slug:period_code>/new/", views.proposal_new, name="new")),
    scoped(Scope.AWARDS_READ, path(proposal, views.proposal_detail, name="detail")),
    scoped(Scope.AWARDS_EDIT, path(proposal + "add/", views.proposal_add, name="add")),
    scoped(
        Scope.AWARDS_EDIT,
        path(proposal + "units/<str:unit_code>/remove/", views.proposal_remove, name="remove"),
    ),
    scoped(Scope.AWARDS_EDIT, path(proposal + "issue/", views.proposal_issue, name="issue")),
    scoped(
        Scope.AWARDS_READ,
        path(proposal + "proposal.xlsx", views.proposal_export, {"fmt": "xlsx"}, name="xlsx"),
    ),
    scoped(
        Scope.AWARDS_READ,
        path(proposal + "proposal.docx", views.proposal_export, {"fmt": "docx"}, name="docx"),
    ),
]
