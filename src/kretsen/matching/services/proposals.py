"""The coordinator's workflow: run a proposal, move people, lock, pin pairs, re-run, accept."""

from __future__ import annotations

import random
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from kretsen.core import audit, localise
from kretsen.core.access import signed_in_user
from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation, User
from kretsen.directory.models import Offer
from kretsen.groups import naming
from kretsen.groups.models import Group
from kretsen.groups.services import groups as group_service
from kretsen.groups.services import members as member_service
from kretsen.intake.models import Registration, Status
from kretsen.matching import engine
from kretsen.matching.models import Proposal, SharedPool
from kretsen.matching.services import shared
from kretsen.matching.services.pool import (
    build_problem,
    group_from_json,
    group_to_json,
    to_problem,
)

LIST = "list"  # the target of a move back to the waiting list
# A run ends at its time limit; one still "running" this long after it was due to end lost
# its worker (stopped, restarted or out of memory) and will never finish.
ABANDONED_AFTER = timedelta(minutes=10)


def start(
    request: HttpRequest,
    organisation: Organisation,
    offer: Offer | None,
    seconds: int,
    parent: Proposal | None = None,
    shared_pool: SharedPool | None = None,
) -> Proposal:
    from kretsen.matching.tasks import run_proposal

    if parent is None:
        # A second press of "Propose groups" while the first run is going starts nothing new.
        unfinished = Proposal.objects.filter(
            organisation=organisation,
            offer=offer,
            shared_pool=shared_pool,
            parent=None,
            state__in=[Proposal.State.QUEUED, Proposal.State.RUNNING],
        ).first()
        if unfinished is not None and not fail_abandoned(unfinished):
            return unfinished
    seed = random.SystemRandom().randrange(1, 2**31)
    proposal = Proposal(
        organisation=organisation,
        offer=offer,
        parent=parent,
        shared_pool=shared_pool,
        created_by=signed_in_user(request),
        seconds=seconds,
        seed=seed,
        problem=build_problem(organisation, offer, seconds, seed, shared_pool),
    )
    if parent is not None:
        present = {p["id"] for p in proposal.problem["people"]}
        proposal.problem["included"] = [
            person for person in parent.problem.get("included", []) if person in present
        ]
        proposal.groups = [g for g in parent.groups if g.get("locked")]
        proposal.apart = list(parent.apart)
        proposal.together = list(parent.together)
    proposal.save()
    audit.log(
        request,
        "matching.proposal.started",
        proposal,
        data={
            "people": len(proposal.problem["people"]),
            "offer": str(offer.public_id) if offer else None,
            "shared_pool": str(shared_pool.public_id) if shared_pool else None,
            "from_elsewhere": sum(1 for p in proposal.problem["people"] if p.get("home")),
            "locked_groups": len(proposal.groups),
            "parent": str(parent.public_id) if parent else None,
        },
    )
    transaction.on_commit(lambda: run_proposal.enqueue(proposal.pk))
    return proposal


def run(proposal_id: int) -> None:
    """The task's body: solve, store, never raise for bad input."""
    proposal = Proposal.objects.get(pk=proposal_id)
    if proposal.state != Proposal.State.QUEUED:
        return  # already run (a task delivered twice)
    proposal.state = Proposal.State.RUNNING
    proposal.progress = 10
    proposal.started_at = timezone.now()
    proposal.save(update_fields=["state", "progress", "started_at"])
    locked = [g for g in proposal.groups if g.get("locked")]
    problem = replace(
        to_problem(
            proposal.problem, locked=locked, apart=proposal.apart, together=proposal.together
        ),
        num_workers=settings.FORMATION_WORKERS,
    )
    try:
        result = engine.form_groups(problem, progress=ProgressWriter(proposal))
    except Exception as error:  # the engine promises explanations; a bug must not hang the page
        proposal.state = Proposal.State.FAILED
        proposal.result = {"error": type(error).__name__}
        proposal.finished_at = timezone.now()
        proposal.save(update_fields=["state", "result", "finished_at"])
        raise
    locked_keys = {tuple(sorted(g["members"])) for g in locked}
    proposal.groups = [
        group_to_json(g, tuple(sorted(g.members)) in locked_keys) for g in result.groups
    ]
    proposal.result = {
        "objective": result.objective,
        "upper_bound": result.upper_bound,
        "status": str(result.status),
        "fair_optimal": result.fair_optimal,
        "left_out": [{"person": lo.person, "code": str(lo.code)} for lo in result.left_out],
        "messages": list(result.messages),
        # First come, first served over the whole pool, for the fairness figures beside ours.
        "first_come": asdict(
            engine.fairness(whole, engine.first_come_first_served(whole))
            if (whole := to_problem(proposal.problem)).people
            else engine.Fairness(0, 0, 1.0, 0, 0, 1.0)
        ),
    }
    # Only a run still on record as running is stored: one given up for lost in the meantime
    # (``fail_abandoned``) stays failed, and the coordinator has started another.
    Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.RUNNING).update(
        groups=proposal.groups,
        result=proposal.result,
        state=Proposal.State.DONE,
        progress=100,
        best_value=result.objective,
        best_bound=result.upper_bound,
        finished_at=timezone.now(),
    )


def is_abandoned(proposal: Proposal, now: datetime | None = None) -> bool:
    """Whether a run on record as running can no longer finish (see ``ABANDONED_AFTER``)."""
    if proposal.state != Proposal.State.RUNNING:
        return False
    began = proposal.started_at or proposal.created_at
    due = began + timedelta(seconds=proposal.seconds) + ABANDONED_AFTER
    return (now or timezone.now()) > due


def fail_abandoned(proposal: Proposal, now: datetime | None = None) -> bool:
    """Mark a run that lost its worker as failed, so that the page says so and a new run can
    start; True when it was abandoned."""
    if not is_abandoned(proposal, now):
        return False
    changed = Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.RUNNING).update(
        state=Proposal.State.FAILED,
        result={"error": "abandoned"},
        finished_at=now or timezone.now(),
    )
    proposal.refresh_from_db()
    return changed > 0 or proposal.state != Proposal.State.RUNNING


def fail_all_abandoned(now: datetime | None = None) -> int:
    """``fail_abandoned`` for every organisation's runs; called by the scheduler."""
    now = now or timezone.now()
    with scopes_disabled():
        running = list(Proposal.objects.filter(state=Proposal.State.RUNNING))
        return sum(fail_abandoned(proposal, now) for proposal in running)


class ProgressWriter:
    """The engine's progress callback: stores the best value and the bound on the proposal,
    at most once a second (the last report always), for the page that polls it."""

    INTERVAL = 1.0

    def __init__(self, proposal: Proposal) -> None:
        self.proposal = proposal
        self.written_at = -self.INTERVAL

    def __call__(self, report: engine.Progress) -> None:
        if report.elapsed - self.written_at < self.INTERVAL and report.elapsed < (
            self.proposal.seconds
        ):
            return
        self.written_at = report.elapsed
        share = report.elapsed / max(self.proposal.seconds, 1)
        Proposal.objects.filter(pk=self.proposal.pk, state=Proposal.State.RUNNING).update(
            best_value=report.objective,
            best_bound=report.upper_bound,
            elapsed=report.elapsed,
            progress=min(99, max(10, round(share * 100))),
        )


def quality(objective: float, bound: float, proven: bool, fair_proven: bool = False) -> str:
    """How good a proposal is, in plain words, from its value and the proven bound.

    ``fair_proven``: no proposal that keeps the fairness rule is worth more. The bound holds
    for every proposal, fair or not, so the gap to it is then what only breaking the rule
    could gain, and the page says so (decision 0137)."""
    if proven or (bound > 0 and objective >= bound - 1e-9):
        return _("This is the best possible proposal.")
    if bound <= 0:
        return _("No group could be formed, so there is nothing to compare with.")
    gap = round(max(0.0, 1 - objective / bound) * 100, 1)
    if fair_proven and objective > 0:
        return _(
            "This is the best proposal that keeps the fairness rule: at least as many people "
            "placed as first come, first served, and at least as many of those who waited "
            "longest. Only a proposal that breaks the rule could be worth more, at most "
            "%(more)s more."
        ) % {"more": more_than(objective, bound)}
    if gap < 0.5:
        return _("Practically the best possible proposal: at most %(gap)s from it.") % {
            "gap": localise.percent(gap, 1)
        }
    return _("At most %(gap)s from the best possible proposal.") % {
        "gap": localise.percent(gap, 0 if gap >= 10 else 1)
    }


def more_than(objective: float, bound: float) -> str:
    """How much more than ``objective`` the bound is, as a percentage of it: the figure the
    page gives for a fair optimum, in the sentence and in the facts (decision 0138)."""
    more = round((bound / objective - 1) * 100, 1)
    return localise.percent(more, 0 if more >= 10 else 1)


def include(request: HttpRequest, proposal: Proposal, person: str, on: bool) -> None:
    """Include a person outside the offer's target group by hand (or stop including them):
    the rule no longer keeps them out of this proposal's groups and of the next run."""
    _editable(proposal)
    rows = {p["id"]: p for p in proposal.problem["people"]}
    if person not in rows:
        raise DomainError(_("That person is not part of this proposal."))
    included = [p for p in proposal.problem.get("included", []) if p != person]
    if on:
        included.append(person)
    elif any(person in g["members"] for g in proposal.groups):
        raise DomainError(
            _("Move them back to the waiting list first; then they can be left out again.")
        )
    proposal.problem["included"] = sorted(included)
    proposal.save(update_fields=["problem"])
    audit.log(
        request,
        "matching.proposal.included" if on else "matching.proposal.excluded",
        proposal,
        data={"person": person},
    )


def current_problem(proposal: Proposal) -> engine.Problem:
    return to_problem(proposal.problem, apart=proposal.apart, together=proposal.together)


def as_groups(proposal: Proposal) -> list[engine.Group]:
    return [group_from_json(g) for g in proposal.groups]


def evaluate(proposal: Proposal) -> tuple[float, list[list[engine.Violation]]]:
    """The objective of the current groups and what each one breaks."""
    problem = current_problem(proposal)
    groups = as_groups(proposal)
    violations = [
        engine.check_group(group, problem, groups[:i] + groups[i + 1 :])
        for i, group in enumerate(groups)
    ]
    return engine.objective(problem, [g for g in groups if g.members]), violations


def _editable(proposal: Proposal) -> None:
    if not proposal.is_editable:
        raise DomainError(_("This proposal can no longer be changed."))


@transaction.atomic
def move(request: HttpRequest, proposal: Proposal, person: str, target: str) -> tuple[float, float]:
    """Move ``person`` to group number ``target`` (1-based) or back to the list; returns the
    objective before and after."""
    _editable(proposal)
    known = {p["id"] for p in proposal.problem["people"]}
    if person not in known:
        raise DomainError(_("That person is not part of this proposal."))
    before, _violations = evaluate(proposal)
    source = next((g for g in proposal.groups if person in g["members"]), None)
    if source is not None and source.get("locked"):
        raise DomainError(_("The group is locked. Unlock it before moving people out of it."))
    if target != LIST:
        number = int(target) if target.isdigit() else 0
        if not 1 <= number <= len(proposal.groups):
            raise DomainError(_("Choose a group of this proposal."))
        destination = proposal.groups[number - 1]
        if destination.get("locked"):
            raise DomainError(_("The group is locked. Unlock it before adding people to it."))
        if destination is source:
            return before, before
    if source is not None:
        source["members"].remove(person)
    if target != LIST:
        destination["members"].append(person)
    proposal.save(update_fields=["groups"])
    after, _violations = evaluate(proposal)
    audit.log(
        request,
        "matching.proposal.moved",
        proposal,
        data={"person": person, "to": target, "objective": [round(before, 3), round(after, 3)]},
    )
    return before, after


def set_locked(request: HttpRequest, proposal: Proposal, number: int, locked: bool) -> None:
    _editable(proposal)
    if not 1 <= number <= len(proposal.groups):
        raise DomainError(_("Choose a group of this proposal."))
    group = proposal.groups[number - 1]
    if locked and engine.check_group(as_groups(proposal)[number - 1], current_problem(proposal)):
        raise DomainError(_("Only a group that keeps every rule can be locked."))
    group["locked"] = locked
    proposal.save(update_fields=["groups"])
    audit.log(request, "matching.proposal.locked", proposal, data={"group": number, "on": locked})


def pin_pair(
    request: HttpRequest, proposal: Proposal, first: str, second: str, together: bool = False
) -> None:
    """Keep two people apart, or together (both in one group or both on the list), in the
    next run. A pair is in one list only: the newer choice replaces the older."""
    _editable(proposal)
    known = {p["id"] for p in proposal.problem["people"]}
    if first == second or first not in known or second not in known:
        raise DomainError(_("Choose two different people of this proposal."))
    pair = sorted([first, second])
    chosen, other = (
        (proposal.together, proposal.apart) if together else (proposal.apart, proposal.together)
    )
    if pair not in chosen:
        chosen.append(pair)
    if pair in other:
        other.remove(pair)
    proposal.save(update_fields=["apart", "together"])
    audit.log(
        request,
        "matching.proposal.together" if together else "matching.proposal.apart",
        proposal,
        data={"pair": pair},
    )


def rerun(request: HttpRequest, proposal: Proposal) -> Proposal:
    """A new run of the same pool that keeps the locked groups and the pinned pairs: of a
    proposal under review, or of a run that failed (which holds its parent's). A second press
    finds the proposal replaced already and starts nothing."""
    replaced = 0
    if proposal.state in (Proposal.State.DONE, Proposal.State.FAILED):
        replaced = Proposal.objects.filter(pk=proposal.pk, state=proposal.state).update(
            state=Proposal.State.DISCARDED
        )
    if not replaced:
        raise DomainError(_("This proposal can no longer be changed."))
    proposal.state = Proposal.State.DISCARDED
    return start(
        request,
        proposal.organisation,
        proposal.offer,
        proposal.seconds,
        parent=proposal,
        shared_pool=proposal.shared_pool,
    )


def first_day(slot: int, today: date | None = None) -> date:
    """The first day on the slot's weekday at least a week ahead (time for invitations)."""
    start = (today or timezone.localdate()) + timedelta(days=7)
    return start + timedelta(days=(slot // 3 - start.weekday()) % 7)


@transaction.atomic
def accept(request: HttpRequest, proposal: Proposal, offer: Offer) -> list[Group]:
    """Create the groups in planned state with their leaders and invite the members."""
    _editable(proposal)
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    proposal.refresh_from_db()
    _editable(proposal)
    _objective, violations = evaluate(proposal)
    broken = [
        str(i + 1) for i, found in enumerate(violations) if found and proposal.groups[i]["members"]
    ]
    if broken:
        raise DomainError(
            ngettext(
                "Group %(numbers)s breaks a rule. Move people or send them back to the list.",
                "Groups %(numbers)s break a rule. Move people or send them back to the list.",
                len(broken),
            )
            % {"numbers": ", ".join(broken)}
        )
    users = {str(u.public_id): u for u in User.objects.filter(public_id__in=_leader_ids(proposal))}
    elsewhere = {p["id"] for p in proposal.problem["people"] if p.get("home")}
    placed = [m for g in proposal.groups for m in g["members"]]
    people = {
        str(r.public_id): r
        for r in Registration.objects.filter(
            public_id__in=[m for m in placed if m not in elsewhere], status=Status.WAITING_LIST
        )
    }
    _still_shared(proposal, [m for m in placed if m in elsewhere])
    defaults = group_service.defaults_from_offer(offer)
    taken = list(Group.objects.values_list("name", flat=True))
    created: list[Group] = []
    for planned in proposal.groups:
        if not planned["members"]:
            continue
        own = [m for m in planned["members"] if m not in elsewhere]
        if any(m not in people for m in own):
            raise DomainError(_("Someone in the proposal is no longer on the waiting list."))
        digital = planned["format"] == engine.DIGITAL
        place = str(defaults["place"]) or planned["area"] or _("To be decided")
        group = Group(
            organisation=proposal.organisation,
            offer=offer,
            name=naming.suggest(
                proposal.organisation.default_language,
                slot=planned["slot"],
                relations=[people[m].relation for m in own],
                conditions=[people[m].condition for m in own],
                taken=taken,
            ),
            form=str(defaults["form"]),
            format=Group.Format.DIGITAL if digital else Group.Format.IN_PERSON,
            place="" if digital else place,
            min_size=offer.min_size,
            max_size=max(offer.max_size, len(planned["members"])),
            state=Group.State.PLANNED,
        )
        leaders = [users[leader] for leader in planned["leaders"] if leader in users]
        taken.append(group.name)
        group_service.save(request, group, leaders, created=True)
        member_service.invite(request, group, [people[m] for m in own])
        if len(own) < len(planned["members"]):
            shared.offer_places(
                request,
                proposal,
                group,
                [m for m in planned["members"] if m in elsewhere],
                planned["slot"],
            )
        created.append(group)
    proposal.state = Proposal.State.ACCEPTED
    proposal.created_groups = [
        {"group": str(g.public_id), "slot": planned["slot"]}
        for g, planned in zip(created, [p for p in proposal.groups if p["members"]], strict=True)
    ]
    proposal.save(update_fields=["state", "created_groups"])
    audit.log(
        request,
        "matching.proposal.accepted",
        proposal,
        data={"groups": [str(g.public_id) for g in created], "offer": str(offer.public_id)},
    )
    return created


def _still_shared(proposal: Proposal, people: list[str]) -> None:
    """Other organisations' people must still be waiting, ready and in the pool."""
    if not people:
        return
    if proposal.shared_pool is None:
        raise DomainError(_("Someone in the proposal is no longer on the waiting list."))
    available = {
        str(r.public_id) for r in shared.shared_people(proposal.shared_pool, proposal.organisation)
    }
    if any(person not in available for person in people):
        raise DomainError(
            _(
                "Someone from another organisation is no longer available in the shared pool. "
                "Send them back to the list or form the groups again."
            )
        )


def _leader_ids(proposal: Proposal) -> list[str]:
    return [leader for g in proposal.groups for leader in g["leaders"]]
