from django.urls import path

from kretsen.groups.views import leaders, live, operator, relative, settings, staff

app_name = "groups"

GROUP = "staff/<slug:org>/groups/<uuid:group>/"
MEETING = GROUP + "meetings/<uuid:meeting>/"
MEMBER = GROUP + "members/<uuid:member>/"
MINE = "me/groups/<uuid:member>/"

urlpatterns = [
    path("operator/notices/", operator.notice_list, name="operator-notices"),
    path("staff/<slug:org>/groups/", staff.group_list, name="list"),
    path("staff/<slug:org>/groups/new/", staff.group_new, name="new"),
    path("staff/<slug:org>/groups/settings/", settings.group_settings, name="settings"),
    path("staff/<slug:org>/groups/texts/", settings.text_list, name="texts"),
    path("staff/<slug:org>/groups/texts/<slug:kind>/", settings.text_edit, name="text"),
    path("staff/<slug:org>/groups/topics/", settings.topic_list, name="topics"),
    path("staff/<slug:org>/groups/topics/<uuid:topic>/", settings.topic_edit, name="topic"),
    path("staff/<slug:org>/groups/leaders/", leaders.leader_list, name="leaders"),
    path(
        "staff/<slug:org>/groups/leaders/me/", leaders.my_leader_profile, name="my-leader-profile"
    ),
    path(
        "staff/<slug:org>/groups/leaders/<uuid:membership>/",
        leaders.leader_profile,
        name="leader-profile",
    ),
    path(GROUP, staff.group_detail, name="group"),
    path(GROUP + "edit/", staff.group_edit, name="edit"),
    path(GROUP + "state/", staff.group_state, name="state"),
    path(GROUP + "members/add/", staff.members_add, name="members-add"),
    path(GROUP + "series/", staff.series, name="series"),
    path(GROUP + "handover/", staff.handover, name="handover"),
    path(MEMBER + "answer/", staff.member_answer, name="member-answer"),
    path(MEMBER + "leave/", staff.member_leave, name="member-leave"),
    path(MEMBER + "paper-pledge/", staff.member_paper_pledge, name="member-paper-pledge"),
    path(MEETING, staff.meeting_edit, name="meeting"),
    path(MEETING + "cancel/", staff.meeting_cancel, name="meeting-cancel"),
    path(MEETING + "run-sheet/", staff.meeting_runsheet, name="runsheet"),
    path(MEETING + "attendance/", staff.meeting_attendance, name="attendance"),
    path(MEETING + "video/", staff.meeting_video, name="meeting-video"),
    path(MEETING + "live/", live.live_panel, name="live"),
    path(MEETING + "live/state/", live.live_state, name="live-state"),
    path(MINE, relative.my_group, name="my-group"),
    path(MINE + "answer/", relative.my_answer, name="my-answer"),
    path(MINE + "pledge/", relative.my_pledge, name="my-pledge"),
    path(MINE + "leave/", relative.my_leave, name="my-leave"),
    path(MINE + "reminders/", relative.my_reminders, name="my-reminders"),
    path(MINE + "meetings/<uuid:meeting>/absence/", relative.my_absence, name="my-absence"),
    path(MINE + "meetings/<uuid:meeting>/video/", relative.my_video, name="my-video"),
    path(MINE + "meetings/<uuid:meeting>/live/", live.my_live, name="my-live"),
    path(MINE + "meetings/<uuid:meeting>/live/state/", live.my_live_state, name="my-live-state"),
    path("me/calendar/", relative.my_calendar, name="my-calendar"),
    path("calendar/<str:token>.ics", relative.calendar_feed, name="calendar-feed"),
]
