from django.urls import path

from kretsen.matching import views

app_name = "matching"

PROPOSAL = "staff/<slug:org>/forming/<uuid:proposal>/"

urlpatterns = [
    path("staff/<slug:org>/forming/", views.proposal_list, name="proposals"),
    path(PROPOSAL, views.proposal_detail, name="proposal"),
    path(PROPOSAL + "move/", views.proposal_move, name="move"),
    path(PROPOSAL + "lock/", views.proposal_lock, name="lock"),
    path(PROPOSAL + "apart/", views.proposal_apart, name="apart"),
    path(PROPOSAL + "again/", views.proposal_rerun, name="rerun"),
    path(PROPOSAL + "accept/", views.proposal_accept, name="accept"),
]
