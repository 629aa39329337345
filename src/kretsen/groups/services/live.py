"""The live meeting panel (decision 0060): the floor, the round, raised hands, section timers.

The database is the source of truth: every change is one short transaction on the meeting's
``LiveSession`` row, and every client (WebSocket or polling) reads its own view of the state
again after a change. Leader actions carry what the leader saw (the speaker, the section),
so a double tap, or two leaders pressing "next" at once, moves the meeting on only once.

Nothing said is stored; the seats (names, turns, seconds, hands) live only while the panel
runs and are replaced by an anonymous ``LiveSummary`` when the meeting ends.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled

from kretsen.core import audit
from kretsen.core.errors import DomainError
from kretsen.groups import runsheet
from kretsen.groups.live import balance
from kretsen.groups.models import (
    Attendance,
    GroupMember,
    LiveSeat,
    LiveSession,
    LiveSummary,
    Meeting,
)

# The panel can run a while past the planned end; after that the scheduler ends it.
STAYS_OPEN_AFTER_END = timedelta(hours=3)
LEADER_ACTIONS = frozenset(
    {
        "floor",
        "release",
        "round_start",
        "round_next",
        "round_pass",
        "round_stop",
        "hand_up",
        "hand_down",
        "quieter_first",
        "section_next",
        "section_back",
    }
)
PARTICIPANT_ACTIONS = frozenset({"raise", "lower"})


def group_name(meeting_id: int) -> str:
    """The channel-layer group of one meeting's panel."""
    return f"live.{meeting_id}"


# Leaders may open the panel a little before the meeting to get ready; the seats come from
# attendance, which opens at the start.
OPENS_BEFORE_START = timedelta(minutes=15)


def is_open(meeting: Meeting, now: datetime) -> bool:
    return (
        not meeting.is_cancelled
        and meeting.starts_at - OPENS_BEFORE_START <= now <= meeting.ends_at + STAYS_OPEN_AFTER_END
    )


def session_for(meeting: Meeting) -> LiveSession | None:
    return LiveSession.objects.filter(meeting=meeting).first()


def steps_for(meeting: Meeting) -> list[runsheet.Step]:
    organisation = meeting.organisation
    language = get_language() or organisation.default_language
    return runsheet.build(
        meeting.minutes, meeting.break_minutes, language, organisation.default_language
    )


def first_name(name: str) -> str:
    """What others in the group see of a person: the first word of the name they go by."""
    return (name.split() or ["?"])[0][:40]


def _present(meeting: Meeting) -> list[Attendance]:
    return list(
        meeting.attendance.filter(
            status__in=(Attendance.Status.PRESENT, Attendance.Status.DROP_IN)
        ).select_related("member")
    )


def _sync_seats(session: LiveSession, present: list[Attendance]) -> None:
    """Seats for everyone marked present; those marked absent since lose a seat they never
    used. Late arrivals join the end of the round."""
    seats = list(session.seats.all())
    by_member = {seat.member_id: seat for seat in seats if seat.member_id}
    by_visitor = {seat.name: seat for seat in seats if not seat.member_id}
    wanted_members = {row.member_id for row in present if row.member_id}
    wanted_visitors = {row.visitor_name for row in present if not row.member_id}
    for seat in seats:
        unused = seat.turns == 0 and seat.pk != session.speaker_id
        gone = (seat.member_id and seat.member_id not in wanted_members) or (
            not seat.member_id and seat.name not in wanted_visitors
        )
        if gone and unused:
            seat.delete()
    position = max((seat.position for seat in seats), default=-1) + 1
    for row in present:
        if row.member_id in by_member or (not row.member_id and row.visitor_name in by_visitor):
            continue
        name = row.member.display_name if row.member else row.visitor_name
        LiveSeat.objects.create(
            session=session,
            organisation=session.organisation,
            member=row.member,
            name=name,
            position=position,
        )
        position += 1


@transaction.atomic
def start(request: HttpRequest, meeting: Meeting) -> LiveSession:
    """Open the panel, or bring its seats up to date with attendance when it is open."""
    now = timezone.now()
    if not is_open(meeting, now):
        raise DomainError(_("The live panel opens 15 minutes before the meeting begins."))
    present = _present(meeting)
    if not present:
        raise DomainError(_("Take attendance first: the round is made of those present."))
    session, created = LiveSession.objects.select_for_update().get_or_create(
        meeting=meeting,
        defaults={"organisation": meeting.organisation, "started_at": now},
    )
    _sync_seats(session, present)
    session.version += 1
    session.save(update_fields=["version"])
    if created:
        audit.log(request, "groups.live.started", meeting, data={"people": len(present)})
    return session


def _end_turn(session: LiveSession, now: datetime) -> None:
    if session.speaker_id and session.speaker_from_round:
        # The round's turn of whoever had the floor is over, however it ended.
        LiveSeat.objects.filter(pk=session.speaker_id).update(round_state=LiveSeat.Round.SPOKE)
    if session.speaker_id and session.speaker_since:
        held = max(0, int((now - session.speaker_since).total_seconds()))
        LiveSeat.objects.filter(pk=session.speaker_id).update(seconds=F("seconds") + held)
    session.speaker = None
    session.speaker_since = None
    session.speaker_from_round = False


def _give_floor(
    session: LiveSession, seat: LiveSeat, now: datetime, from_round: bool = False
) -> None:
    _end_turn(session, now)
    LiveSeat.objects.filter(pk=seat.pk).update(turns=F("turns") + 1, hand_raised_at=None)
    session.speaker = seat
    session.speaker_since = now
    session.speaker_from_round = from_round


def _seat(session: LiveSession, value: object) -> LiveSeat:
    """A seat of this meeting's panel; anything else is refused the same way."""
    try:
        key = int(str(value))
    except ValueError:
        key = 0
    seat = session.seats.filter(pk=key).first() if key > 0 else None
    if seat is None:
        raise DomainError(_("That person is not in this meeting's panel."))
    return seat


def _next_in_round(session: LiveSession) -> LiveSeat | None:
    return session.seats.filter(round_state=LiveSeat.Round.WAITING).order_by("position").first()


def _expected(data: dict[str, Any], key: str) -> int | None:
    """What the leader saw when they pressed: an id, or None for "nothing"."""
    value = data.get(key)
    if value in (None, "", "none"):
        return None
    try:
        return int(str(value))
    except ValueError as error:
        raise DomainError(_("The panel could not read that request. Reload the page.")) from error


@transaction.atomic
def act(meeting: Meeting, action: str, data: dict[str, Any], now: datetime | None = None) -> int:
    """Carry out one leader action; returns the new version. A stale action does nothing."""
    if action not in LEADER_ACTIONS:
        raise DomainError(_("The panel could not read that request. Reload the page."))
    now = now or timezone.now()
    session = LiveSession.objects.select_for_update().filter(meeting=meeting).first()
    if session is None:
        raise DomainError(_("The live panel has not been started for this meeting."))
    speaker_seen = _expected(data, "speaker")
    if action == "floor":
        seat = _seat(session, data.get("seat"))
        if session.speaker_id != seat.pk:
            _give_floor(session, seat, now)
    elif action == "release":
        if session.speaker_id == speaker_seen:
            _end_turn(session, now)
    elif action == "round_start":
        seats = list(session.seats.all())
        if data.get("shuffled") in (True, "1", "on", "true"):
            random.SystemRandom().shuffle(seats)
            session.round_shuffled = True
        else:
            seats.sort(key=lambda s: (s.name.casefold(), s.pk))
            session.round_shuffled = False
        for position, seat in enumerate(seats):
            LiveSeat.objects.filter(pk=seat.pk).update(
                position=position, round_state=LiveSeat.Round.WAITING
            )
        session.round_open = True
        first = _next_in_round(session)
        if first is not None:
            _give_floor(session, first, now, from_round=True)
    elif action in ("round_next", "round_pass"):
        # Only the person the round offered the floor to can pass.
        passing_allowed = action == "round_next" or session.speaker_from_round
        if session.round_open and session.speaker_id == speaker_seen and passing_allowed:
            current = session.speaker
            if current is not None:
                if action == "round_pass":
                    # Passing is not a turn: nothing is counted for them.
                    LiveSeat.objects.filter(pk=current.pk).update(
                        round_state=LiveSeat.Round.PASSED,
                        turns=F("turns") - 1,
                    )
                    session.speaker = None
                    session.speaker_since = None
                    session.speaker_from_round = False
                else:
                    _end_turn(session, now)
                    LiveSeat.objects.filter(pk=current.pk).update(round_state=LiveSeat.Round.SPOKE)
            following = _next_in_round(session)
            if following is None:
                _end_turn(session, now)
                session.round_open = False
            else:
                _give_floor(session, following, now, from_round=True)
    elif action == "round_stop":
        session.round_open = False
    elif action in ("hand_up", "hand_down"):
        seat = _seat(session, data.get("seat"))
        _set_hand(seat, action == "hand_up", now)
    elif action == "quieter_first":
        session.quieter_first = data.get("on") in (True, "1", "on", "true")
    elif action in ("section_next", "section_back"):
        steps = steps_for(meeting)
        if _expected(data, "section") == session.section:
            step = steps[min(session.section, len(steps) - 1)]
            overran = now - session.section_started_at > timedelta(minutes=step.minutes)
            target = session.section + (1 if action == "section_next" else -1)
            if 0 <= target < len(steps):
                if action == "section_next" and overran:
                    session.sections_over += 1
                session.section = target
                session.section_started_at = now
    session.version += 1
    session.save()
    return session.version


def _set_hand(seat: LiveSeat, up: bool, now: datetime) -> None:
    if up and seat.hand_raised_at is None:
        LiveSeat.objects.filter(pk=seat.pk, hand_raised_at__isnull=True).update(hand_raised_at=now)
    elif not up:
        LiveSeat.objects.filter(pk=seat.pk).update(hand_raised_at=None)


def seat_of(session: LiveSession, member: GroupMember) -> LiveSeat | None:
    return session.seats.filter(member=member).first()


@transaction.atomic
def set_own_hand(meeting: Meeting, member: GroupMember, up: bool) -> int:
    """A participant raises or lowers their own hand; doing it twice changes nothing."""
    session = LiveSession.objects.select_for_update().filter(meeting=meeting).first()
    if session is None:
        raise DomainError(_("The leaders have not opened the meeting's panel yet."))
    seat = seat_of(session, member)
    if seat is None:
        raise DomainError(_("The leaders have not marked you present yet."))
    if session.speaker_id == seat.pk and up:
        raise DomainError(_("You have the floor now."))
    _set_hand(seat, up, timezone.now())
    session.version += 1
    session.save(update_fields=["version"])
    return session.version


@dataclass(frozen=True)
class SeatView:
    id: int
    name: str
    round_state: str
    turns: int
    seconds: int
    hand: bool
    far_above: bool


def _seconds(seat: LiveSeat, session: LiveSession, now: datetime) -> int:
    running = 0
    if session.speaker_id == seat.pk and session.speaker_since:
        running = max(0, int((now - session.speaker_since).total_seconds()))
    return seat.seconds + running


def _queue(session: LiveSession, seats: list[LiveSeat], now: datetime) -> list[int]:
    hands = [
        balance.Hand(s.pk, s.hand_raised_at, s.turns, _seconds(s, session, now))
        for s in seats
        if s.hand_raised_at is not None
    ]
    return balance.queue_order(hands, session.quieter_first)


def _sections(meeting: Meeting, session: LiveSession, now: datetime) -> dict[str, Any]:
    steps = steps_for(meeting)
    index = min(session.section, len(steps) - 1)
    step = steps[index]
    elapsed = int((now - session.section_started_at).total_seconds())
    return {
        "index": index,
        "count": len(steps),
        "title": step.title,
        "minutes": step.minutes,
        "started_at": session.section_started_at.isoformat(),
        "elapsed": elapsed,
        "left": step.minutes * 60 - elapsed,
        "over": elapsed > step.minutes * 60,
        "titles": [(s.title, s.minutes) for s in steps],
    }


def leader_state(meeting: Meeting, now: datetime | None = None) -> dict[str, Any]:
    """Everything the leaders' panel shows, as plain JSON-ready values."""
    now = now or timezone.now()
    session = session_for(meeting)
    base: dict[str, Any] = {
        "role": "leader",
        "now": now.isoformat(),
        "meeting_ends_at": meeting.ends_at.isoformat(),
        "meeting_left": int((meeting.ends_at - now).total_seconds()),
    }
    if session is None:
        return base | {"started": False, "version": 0}
    seats = list(session.seats.all())
    speakers = [balance.Speaker(s.pk, s.turns, _seconds(s, session, now)) for s in seats]
    loud = balance.far_above(speakers)
    most = max((s.seconds for s in speakers), default=0) or 1
    most_turns = max((s.turns for s in speakers), default=0) or 1
    following = next(
        (
            s
            for s in seats
            if s.round_state == LiveSeat.Round.WAITING and s.pk != session.speaker_id
        ),
        None,
    )
    return base | {
        "started": True,
        "version": session.version,
        "section": _sections(meeting, session, now),
        "speaker": session.speaker_id,
        "speaker_since": session.speaker_since.isoformat() if session.speaker_since else None,
        "speaker_from_round": session.speaker_from_round,
        "round": {
            "open": session.round_open,
            "shuffled": session.round_shuffled,
            "next": following.pk if following and session.round_open else None,
        },
        "quieter_first": session.quieter_first,
        "queue": _queue(session, seats, now),
        "seats": [
            {
                "id": s.pk,
                "name": s.name,
                "round_state": s.round_state,
                "turns": s.turns,
                "seconds": _seconds(s, session, now),
                "hand": s.hand_raised_at is not None,
                "far_above": s.pk in loud,
                "time_bar": round(100 * _seconds(s, session, now) / most),
                "turn_bar": round(100 * s.turns / most_turns),
            }
            for s in seats
        ],
    }


def seat_of_member(meeting: Meeting, member: GroupMember) -> int | None:
    """The id of the member's seat in the running panel, if they have one."""
    return (
        LiveSeat.objects.filter(session__meeting=meeting, member=member)
        .values_list("pk", flat=True)
        .first()
    )


def participant_view(state: dict[str, Any], seat: int | None) -> dict[str, Any]:
    """What one participant sees, cut from the leaders' state: their hand, their place, the
    section, the round, and of the others only first names in the queue. No database."""
    if not state.get("started"):
        return {"role": "participant", "started": False, "version": 0, "present": False}
    seats = {row["id"]: row for row in state["seats"]}
    mine = seats.get(seat) if seat is not None else None
    speaker = seats.get(state["speaker"]) if state["speaker"] else None
    my_turn = mine is not None and speaker is not None and speaker["id"] == mine["id"]
    if mine is None:
        round_state = None
    elif my_turn:
        round_state = "now"
    else:
        round_state = mine["round_state"] if state["round"]["open"] else None
    queue = state["queue"]
    section = state["section"]
    return {
        "role": "participant",
        "started": True,
        "version": state["version"],
        "present": mine is not None,
        "hand": bool(mine and mine["hand"]),
        "place": queue.index(mine["id"]) + 1 if mine and mine["id"] in queue else None,
        "queue": [first_name(seats[key]["name"]) for key in queue],
        "speaker": first_name(speaker["name"]) if speaker else None,
        "my_turn": my_turn,
        "round_open": state["round"]["open"],
        "round_state": round_state,
        "section": {k: section[k] for k in ("index", "count", "title", "minutes", "left")},
    }


def participant_state(
    meeting: Meeting, member: GroupMember, now: datetime | None = None
) -> dict[str, Any]:
    return participant_view(leader_state(meeting, now), seat_of_member(meeting, member))


def localise(state: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """The same state with the section titles in the active language (no database)."""
    if not state.get("started"):
        return state
    steps = steps_for(meeting)
    section = dict(state["section"])
    section["title"] = steps[min(section["index"], len(steps) - 1)].title
    section["titles"] = [(step.title, step.minutes) for step in steps]
    return state | {"section": section}


def _summary_of(session: LiveSession, now: datetime) -> balance.Summary:
    seats = list(session.seats.all())
    return balance.summarise(
        [balance.Speaker(s.pk, s.turns, _seconds(s, session, now)) for s in seats]
    )


@transaction.atomic
def end(request: HttpRequest | None, meeting: Meeting) -> LiveSummary | None:
    """Close the panel: keep the anonymous summary, forget every seat. Twice is harmless."""
    now = timezone.now()
    session = LiveSession.objects.select_for_update().filter(meeting=meeting).first()
    if session is None:
        return LiveSummary.objects.filter(meeting=meeting).first()
    figures = _summary_of(session, now)
    summary, _created = LiveSummary.objects.update_or_create(
        meeting=meeting,
        defaults={
            "organisation": meeting.organisation,
            "people": figures.people,
            "spoke": figures.spoke,
            "turns": figures.turns,
            "seconds": figures.seconds,
            "top_third_time_share": figures.top_third_time_share,
            "top_third_turn_share": figures.top_third_turn_share,
            "sections_over": session.sections_over,
        },
    )
    session.delete()
    audit.log(request, "groups.live.ended", meeting, organisation=meeting.organisation)
    return summary


def end_forgotten(now: datetime | None = None) -> int:
    """End panels of meetings long over (the leaders forgot); called by the scheduler."""
    now = now or timezone.now()
    with scopes_disabled():
        sessions = list(LiveSession.objects.select_related("meeting__organisation"))
    ended = 0
    for session in sessions:
        meeting = session.meeting
        if now > meeting.ends_at + STAYS_OPEN_AFTER_END:
            with scope(organisation=meeting.organisation):
                end(None, meeting)
            ended += 1
    return ended


def changed_event(meeting: Meeting) -> dict[str, Any]:
    """The channel-layer message after a change: the state read once, for every client to
    cut its own view from (instead of ten reads of the same rows)."""
    return {"type": "live.changed", "state": leader_state(meeting)}


def notify(meeting: Meeting) -> None:
    """Tell every open panel of this meeting the new state (after the commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    name = group_name(meeting.pk)
    transaction.on_commit(lambda: async_to_sync(layer.group_send)(name, changed_event(meeting)))
