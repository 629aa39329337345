from django.urls import path

from kretsen.network.views import coordinator, dashboard, local, report

app_name = "network"

N = "<uuid:network>/"
LOCAL = N + "local/<uuid:local>/"
ROUND = N + "rounds/<uuid:round>/"

urlpatterns = [
    path("mine/", local.mine, name="mine"),
    path(N, coordinator.network_home, name="home"),
    path(N + "settings/", coordinator.network_settings, name="settings"),
    path(N + "dashboard/", dashboard.dashboard, name="dashboard"),
    path(N + "dashboard.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path(N + "local-networks/new/", coordinator.local_new, name="local-new"),
    path(N + "local-networks/<uuid:local>/", coordinator.local_edit, name="local-edit"),
    path(N + "rounds/new/", coordinator.round_new, name="round-new"),
    path(ROUND, coordinator.round_detail, name="round"),
    path(ROUND + "edit/", coordinator.round_edit, name="round-edit"),
    path(ROUND + "start/", coordinator.round_start, name="round-start"),
    path(ROUND + "background/", coordinator.round_background, name="round-background"),
    path(
        ROUND + "background/generate/",
        coordinator.round_background_generate,
        name="round-background-generate",
    ),
    path(ROUND + "publish/", coordinator.round_publish, name="round-publish"),
    path(ROUND + "report/", report.report_page, name="report"),
    path(ROUND + "report.docx", report.report_docx, name="report-docx"),
    path(ROUND + "report.pdf", report.report_pdf, name="report-pdf"),
    path(N + "questions/<uuid:question>/", coordinator.compile_question, name="compile"),
    path(N + "questions/<uuid:question>/themes/", coordinator.theme_new, name="theme-new"),
    path(N + "questions/<uuid:question>/suggest/", coordinator.suggest, name="suggest"),
    path(
        N + "questions/<uuid:question>/suggestions/discard/",
        coordinator.suggestions_discard,
        name="suggestions-discard",
    ),
    path(
        N + "suggestions/<uuid:suggestion>/accept/",
        coordinator.suggestion_accept,
        name="suggestion-accept",
    ),
    path(ROUND + "search/", coordinator.round_search, name="round-search"),
    path(N + "questions/<uuid:question>/sort/", coordinator.item_assign, name="item-assign"),
    path(N + "questions/<uuid:question>/propose/", coordinator.sort_propose, name="sort-propose"),
    path(
        N + "questions/<uuid:question>/proposals/accept-sure/",
        coordinator.proposals_accept_sure,
        name="proposals-accept-sure",
    ),
    path(
        N + "questions/<uuid:question>/proposals/discard/",
        coordinator.proposals_discard,
        name="proposals-discard",
    ),
    path(
        N + "proposals/<uuid:proposal>/accept/", coordinator.proposal_accept, name="proposal-accept"
    ),
    path(N + "passages/<uuid:passage>/edit/", coordinator.passage_edit, name="passage-edit"),
    path(N + "themes/<uuid:theme>/", coordinator.theme_edit, name="theme-edit"),
    path(N + "themes/<uuid:theme>/move/", coordinator.theme_move, name="theme-move"),
    path(N + "themes/<uuid:theme>/merge/", coordinator.theme_merge, name="theme-merge"),
    path(N + "themes/<uuid:theme>/delete/", coordinator.theme_delete, name="theme-delete"),
    path(N + "quotes/<uuid:quote>/theme/", coordinator.quote_assign, name="quote-assign"),
    path(N + "quote-uses/<uuid:use>/", coordinator.quote_use, name="quote-use"),
    path(N + "answers/<uuid:answer>/passages/", coordinator.passage_new, name="passage-new"),
    path(N + "passages/<uuid:passage>/remove/", coordinator.passage_remove, name="passage-remove"),
    path(LOCAL, local.local_home, name="local-home"),
    path(LOCAL + "rounds/<uuid:round>/", local.local_round, name="local-round"),
    path(
        LOCAL + "rounds/<uuid:round>/questions/<uuid:question>/",
        local.local_answer,
        name="local-answer",
    ),
    path(LOCAL + "rounds/<uuid:round>/submit/", local.local_submit, name="local-submit"),
]
