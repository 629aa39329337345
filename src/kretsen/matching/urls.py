from django.urls import path

from kretsen.matching import views

app_name = "matching"

PROPOSAL = "staff/<slug:org>/forming/<uuid:proposal>/"

urlpatterns = [
    path("staff/<slug:org>/forming/", views.proposal_list, name="proposals"),
    path(PROPOSAL, views.proposal_detail, name="proposal"),
    path(PROPOSAL + "progress/", views.proposal_progress, name="progress"),
    path(PROPOSAL + "move/", views.proposal_move, name="move"),
    path(PROPOSAL + "include/", views.proposal_include, name="include"),
    path(PROPOSAL + "lock/", views.proposal_lock, name="lock"),
    path(PROPOSAL + "apart/", views.proposal_apart, name="apart"),
    path(PROPOSAL + "again/", views.proposal_rerun, name="rerun"),
    path(PROPOSAL + "accept/", views.proposal_accept, name="accept"),
    path("staff/<slug:org>/forming/shared/", views.shared_pools, name="shared"),
    path(
        "staff/<slug:org>/forming/shared/<uuid:pool>/answer/",
        views.shared_pool_answer,
        name="shared_answer",
    ),
    path("staff/<slug:org>/forming/places/", views.places, name="places"),
    path("staff/<slug:org>/forming/places/<uuid:transfer>/", views.place_decide, name="place"),
]
