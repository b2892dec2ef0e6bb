from django.urls import path

from thidua.awards import views

app_name = "awards"
proposal = "proposals/<uuid:proposal_uuid>/"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("<slug:period_code>/new/", views.proposal_new, name="new"),
    path(proposal, views.proposal_detail, name="detail"),
    path(proposal + "add/", views.proposal_add, name="add"),
    path(proposal + "units/<str:unit_code>/remove/", views.proposal_remove, name="remove"),
    path(proposal + "issue/", views.proposal_issue, name="issue"),
    path(proposal + "proposal.xlsx", views.proposal_export, {"fmt": "xlsx"}, name="xlsx"),
    path(proposal + "proposal.docx", views.proposal_export, {"fmt": "docx"}, name="docx"),
]
