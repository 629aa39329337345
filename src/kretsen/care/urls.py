from django.urls import path

from kretsen.care.views import dashboard, relative, retention, staff

app_name = "care"

urlpatterns = [
    path("staff/<slug:org>/follow-ups/", staff.follow_up_list, name="follow-ups"),
    path("staff/<slug:org>/follow-ups/<uuid:follow_up>/", staff.follow_up_detail, name="follow-up"),
    path(
        "staff/<slug:org>/groups/<uuid:group>/members/<uuid:member>/follow-up/",
        staff.flag,
        name="flag",
    ),
    path("staff/<slug:org>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("staff/<slug:org>/retention/", retention.retention_preview, name="retention"),
    path("staff/<slug:org>/dashboard.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path(
        "me/questionnaires/<uuid:questionnaire>/",
        relative.my_questionnaire,
        name="my-questionnaire",
    ),
    path(
        "me/groups/<uuid:member>/meetings/<uuid:meeting>/feedback/",
        relative.my_feedback,
        name="my-feedback",
    ),
]
