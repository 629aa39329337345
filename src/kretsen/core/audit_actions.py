"""The catalogue of audit action codes, with the labels admins and relatives read.

Every code written by ``audit.log`` must be here: ``tests/core/test_audit_actions.py`` reads
every call in the source and fails on a code that is missing. The codes are data, so this
module imports no app; each code names its app first.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AREAS: dict[str, Promise] = {
    "core.": _("Accounts and staff"),
    "directory.": _("Offers"),
    "intake.": _("Registrations and intake"),
    "groups.": _("Groups and meetings"),
    "matching.": _("Forming groups"),
    "care.": _("Follow-ups and questionnaires"),
    "network.": _("Learning network"),
}

ACTIONS: dict[str, Promise] = {
    # core
    "core.auth.recovery_codes_generated": _("Recovery codes made"),
    "core.auth.relative_signed_in": _("Relative signed in"),
    "core.auth.staff_signed_in": _("Staff signed in"),
    "core.auth.staff_signed_out": _("Staff signed out"),
    "core.auth.two_factor_enrolled": _("Second factor set up"),
    "core.audit.viewed": _("Audit trail opened"),
    "core.organisation.settings_changed": _("Organisation settings changed"),
    "core.staff.deactivated": _("Staff member deactivated"),
    "core.staff.invitation_accepted": _("Staff invitation accepted"),
    "core.staff.invited": _("Staff member invited"),
    "core.staff.reactivated": _("Staff member reactivated"),
    "core.staff.roles_changed": _("Staff roles changed"),
    # directory
    "directory.offer.changed": _("Offer changed"),
    "directory.offer.created": _("Offer created"),
    "directory.offer.state_changed": _("Offer published, unpublished or archived"),
    # intake
    "intake.contact.recorded": _("Contact attempt recorded"),
    "intake.inbox.viewed": _("Registrations list opened"),
    "intake.intake.changed": _("Intake conversation changed"),
    "intake.intake_form.viewed": _("Intake conversation form opened"),
    "intake.intake.recorded": _("Intake conversation recorded"),
    "intake.registration.assigned": _("Registration assigned"),
    "intake.registration.contact_corrected_by_relative": _(
        "Contact details corrected by the relative"
    ),
    "intake.registration.created": _("Interest registered"),
    "intake.registration.sent_again": _("Interest form sent again"),
    "intake.registration.status_changed": _("Registration status changed"),
    "intake.registration.viewed": _("Registration opened"),
    "intake.registration.withdrawn_by_relative": _("Withdrawn by the relative"),
    "intake.waiting_list.viewed": _("Waiting list opened"),
    # groups
    "groups.absence.notified": _("Absence notified"),
    "groups.absence.withdrawn": _("Absence taken back"),
    "groups.attendance.recorded": _("Attendance recorded"),
    "groups.attendance.viewed": _("Attendance list opened"),
    "groups.candidates.viewed": _("People who could join a group listed"),
    "groups.group.changed": _("Group changed"),
    "groups.group.contact_chosen": _("Group contact person chosen"),
    "groups.group.created": _("Group created"),
    "groups.group.state_changed": _("Group status changed"),
    "groups.group.viewed": _("Group page opened"),
    "groups.handover.viewed": _("Handing a group over opened"),
    "groups.leader_profile.update": _("Leader profile changed"),
    "groups.live.ended": _("Live panel ended"),
    "groups.live.started": _("Live panel started"),
    "groups.live.viewed": _("Live panel opened"),
    "groups.meeting.cancelled": _("Meeting cancelled"),
    "groups.meeting.changed": _("Meeting changed"),
    "groups.meeting.moved": _("Meeting moved"),
    "groups.notice.sent_again": _("Message sent again by the platform operator"),
    "groups.meeting.runsheet_saved": _("Run-sheet saved"),
    "groups.meeting.runsheet_viewed": _("Run-sheet opened"),
    "groups.meeting.video_joined": _("Video meeting joined"),
    "groups.meetings.series_created": _("Meeting series planned"),
    "groups.member.accepted": _("Place accepted"),
    "groups.member.declined": _("Place declined"),
    "groups.member.invited": _("Place offered"),
    "groups.member.left": _("Member left the group"),
    "groups.member.reminders": _("Reminders turned on or off"),
    "groups.pledge.recorded_on_paper": _("Pledge signed on paper recorded"),
    "groups.pledge.signed": _("Pledge signed"),
    "groups.settings.changed": _("Group settings changed"),
    "groups.text.saved": _("Pledge or rules saved"),
    "groups.topic.changed": _("Topic changed"),
    "groups.topic.created": _("Topic created"),
    # matching
    "matching.proposal.accepted": _("Group proposal accepted"),
    "matching.proposal.apart": _("Two people kept apart"),
    "matching.proposal.together": _("Two people kept together"),
    "matching.proposal.excluded": _("Person outside the target group no longer included"),
    "matching.proposal.included": _("Person outside the target group included by hand"),
    "matching.proposal.locked": _("Proposed group locked or unlocked"),
    "matching.proposal.moved": _("Person moved in a proposal"),
    "matching.proposal.started": _("Group proposal started"),
    "matching.proposal.viewed": _("Group proposal opened"),
    "matching.shared_pool.answered": _("Shared pool answered"),
    "matching.shared_pool.created": _("Shared pool started"),
    "matching.transfer.declined": _("Place from another organisation kept at home"),
    "matching.transfer.offered": _("Place offered to another organisation's person"),
    "matching.transfer.released": _("Person released to another organisation"),
    "matching.transfers.viewed": _("Places from other organisations opened"),
    # care
    "care.follow_up.closed": _("Follow-up closed"),
    "care.follow_up.flagged": _("Follow-up asked for"),
    "care.follow_up.viewed": _("Follow-up opened"),
    "care.follow_ups.overdue_viewed": _("Overdue follow-ups shown"),
    "care.follow_ups.viewed": _("Follow-ups list opened"),
    "care.flag_form.viewed": _("Form asking for a follow-up opened"),
    "care.questionnaire.answered": _("Questionnaire answered"),
    "care.questionnaire.skipped": _("Questionnaire skipped"),
    # network
    "network.documentation.saved": _("Local documentation saved"),
    "network.documentation.submitted": _("Local documentation submitted"),
    "network.local.changed": _("Local network changed"),
    "network.local.created": _("Local network created"),
    "network.network.changed": _("Network changed"),
    "network.passage.assigned": _("Passage put under a theme"),
    "network.passage.changed": _("Passage reworded"),
    "network.passage.removed": _("Passage removed from a theme"),
    "network.quote.assigned": _("Quote put under a theme"),
    "network.quote.unassigned": _("Quote taken from a theme"),
    "network.quote.use_changed": _("Quote kept, shortened or left out"),
    "network.round.background_generated": _("Round background written from the data"),
    "network.round.background_saved": _("Round background saved"),
    "network.round.changed": _("Round changed"),
    "network.round.compiling_started": _("Compiling started"),
    "network.round.created": _("Round created"),
    "network.round.published": _("Report published"),
    "network.theme.changed": _("Theme changed"),
    "network.theme.created": _("Theme created"),
    "network.theme.deleted": _("Theme deleted"),
    "network.theme.merged": _("Themes merged"),
    "network.theme.moved": _("Theme moved"),
    "network.theme.suggested": _("Themes suggested"),
    "network.theme.suggestion_accepted": _("Suggested theme accepted"),
    "network.theme.suggestions_discarded": _("Suggested themes discarded"),
    "network.theme.sorting_proposed": _("Sorting of the rest proposed"),
    "network.theme.proposal_accepted": _("Proposed place of a passage accepted"),
    "network.theme.proposals_accepted": _("Sure proposals accepted"),
    "network.theme.proposals_discarded": _("Proposed places discarded"),
}

# What a relative reads on "who has read your information": every page that showed them.
READS_OF_A_RECORD: dict[str, Promise] = {
    "core.audit.viewed": _("saw in the audit trail when you signed in or changed something"),
    "intake.registration.viewed": _("opened your registration"),
    "intake.intake.recorded": _("wrote down your intake conversation"),
    "intake.intake.changed": _("changed the notes of your intake conversation"),
    "intake.inbox.viewed": _("saw you in the list of registrations"),
    "intake.intake_form.viewed": _("opened an intake conversation form that shows your name"),
    "intake.waiting_list.viewed": _("saw you on the waiting list"),
    "groups.group.viewed": _("opened the page of your group, with its members"),
    "groups.candidates.viewed": _("saw you among the people who could be offered a place"),
    "groups.handover.viewed": _("saw you among the members while handing the group over"),
    "groups.meeting.runsheet_viewed": _("saw that you could not come, on a meeting's run-sheet"),
    "groups.attendance.viewed": _("opened the attendance list of a meeting"),
    "groups.live.viewed": _("looked at the live panel of a meeting"),
    "care.follow_up.viewed": _("opened a follow-up about you"),
    "care.follow_ups.viewed": _("saw you in the list of follow-ups"),
    "care.follow_ups.overdue_viewed": _("saw you among the follow-ups that are overdue"),
    "care.flag_form.viewed": _("opened the form to ask for a follow-up with you"),
    "matching.proposal.viewed": _("saw you in a proposal for new groups"),
    "matching.transfers.viewed": _("saw a place offered to you in another organisation's group"),
}


def label(code: str) -> str:
    """The action's label in the active language; an unknown code is shown as it is."""
    found = ACTIONS.get(code)
    return str(found) if found is not None else code


def choices() -> list[tuple[str, object]]:
    """Filter choices: every area, then the actions grouped by area."""
    grouped: list[tuple[str, object]] = [("", _("Every action"))]
    grouped.extend((prefix, name) for prefix, name in AREAS.items())
    for prefix, name in AREAS.items():
        actions = sorted(
            ((code, str(text)) for code, text in ACTIONS.items() if code.startswith(prefix)),
            key=lambda item: item[1],
        )
        grouped.append((str(name), actions))
    return grouped
