"""The coordinator's group-formation pages: start a proposal, review and edit it, accept it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kretsen.core import audit, localise
from kretsen.core.access import OrganisationRequest, organisation_view
from kretsen.core.actions import perform
from kretsen.core.errors import DomainError
from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import (
    AgeBand,
    Condition,
    DayPart,
    Format,
    Language,
    Relation,
    Weekday,
)
from kretsen.directory.models import Offer
from kretsen.intake.models import Registration
from kretsen.matching import engine
from kretsen.matching.engine.rules import outside_target
from kretsen.matching.forms import (
    AcceptForm,
    AnswerForm,
    ApartForm,
    DecideForm,
    IncludeForm,
    LockForm,
    MoveForm,
    PoolForm,
    StartForm,
)
from kretsen.matching.models import PoolMember, Proposal, Transfer
from kretsen.matching.services import proposals as service
from kretsen.matching.services import shared, target_group

# Lazy: built once at import, shown in each request's language.
REASONS = {
    engine.Reason.NO_SHARED_SLOT: gettext_lazy("no time that suits enough others and two leaders"),
    engine.Reason.NO_LEADERS: gettext_lazy("no free leaders at a time that suits"),
    engine.Reason.LANGUAGE: gettext_lazy("no group with a shared language"),
    engine.Reason.FORMAT: gettext_lazy("the format does not fit"),
    engine.Reason.AREA: gettext_lazy("too few people in the same area"),
    engine.Reason.TOO_FEW_ALIKE: gettext_lazy("too few people alike enough"),
    engine.Reason.SIZE: gettext_lazy("the group size is outside the limits"),
    engine.Reason.NEVER_TOGETHER: gettext_lazy("two people who must not meet are together"),
    engine.Reason.GENDER: gettext_lazy("the offer is for one gender only"),
    engine.Reason.AGE_SPAN: gettext_lazy("the ages are too far apart"),
    engine.Reason.PINNED: gettext_lazy("a pinned pair is split"),
    engine.Reason.LOCKED: gettext_lazy("a locked group was changed"),
    engine.Reason.UNKNOWN_PERSON: gettext_lazy("someone is no longer on the list"),
    engine.Reason.LEADER: gettext_lazy("a leader is missing or booked twice"),
    engine.Reason.INVALID_INPUT: gettext_lazy("the waiting list could not be read"),
    engine.Reason.TARGET_GROUP: gettext_lazy("outside the offer's target group"),
}
PART_TIMES = {DayPart.MORNING: "10:00", DayPart.AFTERNOON: "14:00", DayPart.EVENING: "18:00"}


def reason_label(code: str, rules: dict[str, Any] | None = None) -> str:
    """A reason in plain words; the target group's reason names the offer's target group."""
    if code == engine.Reason.TARGET_GROUP and rules is not None:
        return _("the offer is for %(target)s") % {"target": target_group.describe(rules)}
    try:
        return str(REASONS[engine.Reason(code)])
    except ValueError:
        return code


def slot_label(slot: int) -> str:
    return f"{Weekday(slot // 3).label}, {str(DayPart(slot % 3).label).lower()}"


def _offers(organisation: Organisation) -> list[Offer]:
    return list(
        Offer.objects.filter(organisation=organisation)
        .exclude(state=Offer.State.ARCHIVED)
        .order_by("title_sv", "title_nb", "title_en")
    )


def _get(request: HttpRequest, public_id: uuid.UUID) -> Proposal:
    return get_object_or_404(Proposal, public_id=public_id)


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return "–"


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def proposal_list(request: OrganisationRequest, org: str) -> HttpResponse:
    organisation = request.organisation
    form = StartForm(
        request.POST or None,
        offers=_offers(organisation),
        language=get_language(),
        pools=shared.agreed_pools(organisation),
    )
    if request.method == "POST" and form.is_valid():
        proposal = service.start(
            request,
            organisation,
            form.offer(),
            form.cleaned_data["seconds"],
            shared_pool=form.shared_pool(),
        )
        return redirect("matching:proposal", org=org, proposal=proposal.public_id)
    return render(
        request,
        "matching/list.html",
        {
            "form": form,
            "proposals": Proposal.objects.select_related("offer", "shared_pool")[:20],
            "pending_places": shared.pending_for(organisation)
            .filter(state=Transfer.State.PENDING)
            .count(),
        },
    )


def _people(proposal: Proposal) -> dict[str, dict[str, Any]]:
    rows = proposal.problem.get("people", [])
    names = dict(
        Registration.objects.filter(
            public_id__in=[p["id"] for p in rows if not p.get("home")]
        ).values_list("public_id", "display_name")
    )
    home_ids = {p["home"] for p in rows if p.get("home")}
    homes = dict(Organisation.objects.filter(slug__in=home_ids).values_list("slug", "name"))
    numbers: dict[str, int] = {}
    people = {}
    for person in rows:
        home = person.get("home")
        if home:
            # Another organisation's person: a pseudonym until their organisation releases them.
            numbers[home] = numbers.get(home, 0) + 1
            name = _("%(organisation)s, person %(number)s") % {
                "organisation": homes.get(home, "–"),
                "number": numbers[home],
            }
        else:
            name = names.get(uuid.UUID(person["id"]), _("(no longer on the list)"))
        people[person["id"]] = {
            "id": person["id"],
            "name": name,
            "elsewhere": bool(home),
            "condition": _label(Condition, person["condition"]),
            "relation": _label(Relation, person["relation"]),
            "age": _label(AgeBand, person["age_band"]),
            "languages": ", ".join(_label(Language, code) for code in person["languages"]),
            "format": _label(Format, person["format"]),
            "area": person["area"] or "",
            "days_waiting": person["days_waiting"],
        }
    return people


def _person_choices(people: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    return [(pid, person["name"]) for pid, person in people.items()]


def _shared(members: list[dict[str, Any]], field: str) -> str | None:
    values = {member[field] for member in members}
    return values.pop() if len(values) == 1 and members else None


def _review(proposal: Proposal, people: dict[str, dict[str, Any]]) -> dict[str, Any]:
    objective, violations = service.evaluate(proposal)
    leader_names = {
        str(u.public_id): str(u)
        for u in User.objects.filter(
            public_id__in=[leader for g in proposal.groups for leader in g["leaders"]]
        )
    }
    placed = {m for g in proposal.groups for m in g["members"]}
    rules = proposal.problem.get("rules", {})
    problem = service.current_problem(proposal)
    # People outside the offer's target group, whether or not the coordinator included them.
    strict = replace(problem, included=frozenset())
    outside = {p.id for p in problem.people if outside_target(p, strict) is not None}
    included = set(problem.included)
    groups = []
    for number, (group, broken) in enumerate(
        zip(proposal.groups, violations, strict=True), start=1
    ):
        members = [people[m] for m in group["members"] if m in people]
        groups.append(
            {
                "number": number,
                "members": members,
                "leaders": [leader_names.get(leader, "–") for leader in group["leaders"]],
                "slot": slot_label(group["slot"]),
                "language": _label(Language, group["language"]),
                "format": _label(Format, group["format"]),
                "area": group["area"] or "",
                "locked": group.get("locked", False),
                "problems": sorted({reason_label(v.code, rules) for v in broken})
                if members
                else [],
                "included": [m["name"] for m in members if m["id"] in outside & included],
                "shared": [
                    value
                    for value in (
                        _shared(members, "condition"),
                        _shared(members, "relation"),
                        _shared(members, "age"),
                    )
                    if value
                ],
            }
        )
    reasons = {lo["person"]: lo["code"] for lo in proposal.result.get("left_out", [])}
    left_out = [
        {
            **person,
            "reason": reason_label(reasons[pid], rules) if pid in reasons else "",
            "outside": pid in outside,
            "included": pid in included,
        }
        for pid, person in people.items()
        if pid not in placed
    ]
    bound = proposal.result.get("upper_bound") or 0.0
    # What the engine proved is about its own proposal, not one changed by hand since.
    as_proposed = abs(objective - proposal.result.get("objective", 0.0)) < 1e-9
    fair_optimal = proposal.result.get("fair_optimal", False) and as_proposed and objective > 0
    return {
        "fairness": _fairness(proposal, problem),
        "target": target_group.describe(rules) if outside else "",
        "quality": service.quality(
            objective,
            bound,
            proposal.result.get("status") == str(engine.Status.OPTIMAL) and as_proposed,
            fair_optimal,
        ),
        # The facts line then gives the bound as what only breaking the rule could reach,
        # with the sentence's figure, not a second percentage (decision 0138).
        "more": service.more_than(objective, bound) if fair_optimal else "",
        "groups": groups,
        "left_out": left_out,
        "objective": objective,
        "engine_objective": proposal.result.get("objective", 0.0),
        "bound": bound,
        "gap": max(0.0, 1 - objective / bound) * 100 if bound else 0.0,
        "optimal": proposal.result.get("status") == str(engine.Status.OPTIMAL),
        "targets": [(str(g["number"]), _("Group %(number)s") % g) for g in groups]
        + [(service.LIST, _("Back to the waiting list"))],
        "apart": [
            (people.get(a, {}).get("name", "–"), people.get(b, {}).get("name", "–"))
            for a, b in proposal.apart
        ],
        "together": [
            (people.get(a, {}).get("name", "–"), people.get(b, {}).get("name", "–"))
            for a, b in proposal.together
        ],
    }


def _fairness(proposal: Proposal, problem: engine.Problem) -> list[dict[str, str]]:
    """Share placed, overall and among the longest-waiting quarter, beside first come, first
    served (computed when the proposal was made; older proposals have no comparison)."""
    ours = engine.fairness(problem, [g for g in service.as_groups(proposal) if g.members])
    first = proposal.result.get("first_come") or {}

    def share(placed: int, total: int) -> str:
        return _("%(placed)s of %(total)s (%(share)s)") % {
            "placed": placed,
            "total": total,
            "share": localise.percent(placed / total * 100 if total else 100),
        }

    return [
        {
            "label": _("Placed in a group"),
            "ours": share(ours.placed, ours.people),
            "first": share(first["placed"], first["people"]) if first else "–",
        },
        {
            "label": _("Placed, of the quarter who waited longest"),
            "ours": share(ours.longest_waiting_placed, ours.longest_waiting),
            "first": share(first["longest_waiting_placed"], first["longest_waiting"])
            if first
            else "–",
        },
    ]


def progress_of(proposal: Proposal) -> dict[str, Any]:
    """Where a run stands, for the page and for its JSON: plain words and the figures."""
    working = proposal.is_working
    best, bound = proposal.best_value, proposal.best_bound
    if best is None or bound is None:
        text = _("Looking for the first groups …")
        closeness = 0.0
    elif working:
        gap = max(0.0, 1 - best / bound) * 100 if bound > 0 else 0.0
        text = _(
            "Best proposal so far: value %(best)s. The best possible is at most %(bound)s, "
            "so it is within %(gap)s of it."
        ) % {
            "best": localise.number(best, 1),
            "bound": localise.number(bound, 1),
            "gap": localise.percent(gap, 1),
        }
        closeness = best / bound if bound > 0 else 1.0
    else:
        text = service.quality(
            best,
            bound,
            proposal.result.get("status") == str(engine.Status.OPTIMAL),
            proposal.result.get("fair_optimal", False),
        )
        closeness = best / bound if bound > 0 else 1.0
    return {
        "state": proposal.state,
        "working": working,
        "text": text,
        "time": ngettext(
            "Searched for %(elapsed)s of at most %(seconds)s second.",
            "Searched for %(elapsed)s of at most %(seconds)s seconds.",
            proposal.seconds,
        )
        % {"elapsed": localise.number(proposal.elapsed), "seconds": proposal.seconds},
        "best": best,
        "bound": bound,
        "elapsed": round(proposal.elapsed, 1),
        "seconds": proposal.seconds,
        "closeness": round(min(1.0, max(0.0, closeness)) * 1000),
    }


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET"])
def proposal_progress(request: HttpRequest, org: str, proposal: uuid.UUID) -> JsonResponse:
    """The progress of a run as JSON, for the small script on the proposal page."""
    return JsonResponse(progress_of(_get(request, proposal)))


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET"])
def proposal_detail(request: OrganisationRequest, org: str, proposal: uuid.UUID) -> HttpResponse:
    organisation = request.organisation
    found = _get(request, proposal)
    context: dict[str, Any] = {"proposal": found, "progress": progress_of(found)}
    if found.state == Proposal.State.DONE:
        people = _people(found)
        context.update(_review(found, people))
        # The page shows relatives' names and what they told us: reading it is logged.
        audit.read(request, "matching.proposal.viewed", people, found)
        context["apart_form"] = ApartForm(people=_person_choices(people))
        context["accept_form"] = AcceptForm(
            offers=_offers(organisation),
            language=get_language(),
            initial={"offer": str(found.offer.public_id) if found.offer else None},
        )
    if found.state == Proposal.State.ACCEPTED:
        context["created"] = _created(org, found)
        context["transfers"] = shared.transfers_of([c["group"] for c in found.created_groups])
    return render(request, "matching/detail.html", context)


def _created(org: str, proposal: Proposal) -> list[dict[str, str]]:
    from kretsen.groups.models import Group

    found = {
        str(g.public_id): g
        for g in Group.objects.filter(public_id__in=[c["group"] for c in proposal.created_groups])
    }
    created = []
    for item in proposal.created_groups:
        group = found.get(item["group"])
        if group is None:
            continue
        slot = item["slot"]
        series = reverse("groups:series", kwargs={"org": org, "group": group.public_id})
        created.append(
            {
                "name": group.name,
                "url": reverse("groups:group", kwargs={"org": org, "group": group.public_id}),
                "series_url": f"{series}?first_day={service.first_day(slot).isoformat()}"
                f"&at={PART_TIMES[DayPart(slot % 3)]}",
                "slot": slot_label(slot),
            }
        )
    return created


def _back(org: str, proposal: Proposal) -> HttpResponse:
    return redirect(
        reverse("matching:proposal", kwargs={"org": org, "proposal": proposal.public_id})
    )


@organisation_view(Role.COORDINATOR)
@require_POST
def proposal_move(request: HttpRequest, org: str, proposal: uuid.UUID) -> HttpResponse:
    found = _get(request, proposal)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person and where to move them."))
        return _back(org, found)
    try:
        before, after = service.move(
            request, found, form.cleaned_data["person"], form.cleaned_data["target"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Moved. The proposal's value went from %(before)s to %(after)s.")
            % {"before": localise.number(before, 2), "after": localise.number(after, 2)},
        )
    return _back(org, found)


@organisation_view(Role.COORDINATOR)
@require_POST
def proposal_include(request: HttpRequest, org: str, proposal: uuid.UUID) -> HttpResponse:
    found = _get(request, proposal)
    form = IncludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person of this proposal."))
        return _back(org, found)
    on = form.cleaned_data["on"]
    perform(
        request,
        lambda: service.include(request, found, form.cleaned_data["person"], on),
        success=_(
            "Included by hand. Move them into a group, or form the groups again to place them."
        )
        if on
        else _("No longer included: the offer's target group applies to them again."),
    )
    return _back(org, found)


@organisation_view(Role.COORDINATOR)
@require_POST
def proposal_lock(request: HttpRequest, org: str, proposal: uuid.UUID) -> HttpResponse:
    found = _get(request, proposal)
    form = LockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a group of this proposal."))
        return _back(org, found)
    perform(
        request,
        lambda: service.set_locked(
            request, found, form.cleaned_data["group"], form.cleaned_data["on"]
        ),
    )
    return _back(org, found)


@organisation_view(Role.COORDINATOR)
@require_POST
def proposal_apart(request: HttpRequest, org: str, proposal: uuid.UUID) -> HttpResponse:
    found = _get(request, proposal)
    form = ApartForm(request.POST, people=_person_choices(_people(found)))
    if not form.is_valid():
        messages.error(request, _("Choose two different people."))
        return _back(org, found)
    try:
        together = form.cleaned_data["kind"] == ApartForm.TOGETHER
        service.pin_pair(
            request, found, form.cleaned_data["first"], form.cleaned_data["second"], together
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("They will be kept together when you form the groups again.")
            if together
            else _("They will be kept apart when you form the groups again."),
        )
    return _back(org, found)


@organisation_view(Role.COORDINATOR)
@require_POST
def proposal_rerun(request: HttpRequest, org: str, proposal: uuid.UUID) -> HttpResponse:
    found = _get(request, proposal)
    try:
        again = service.rerun(request, found)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(org, found)
    return _back(org, again)


@organisation_view(Role.COORDINATOR)
@require_POST
def proposal_accept(request: OrganisationRequest, org: str, proposal: uuid.UUID) -> HttpResponse:
    organisation = request.organisation
    found = _get(request, proposal)
    form = AcceptForm(request.POST, offers=_offers(organisation), language=get_language())
    if not form.is_valid():
        messages.error(request, _("Choose the offer the groups belong to."))
        return _back(org, found)
    try:
        created = service.accept(request, found, form.chosen())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s group was created and its members invited.",
                "%(count)s groups were created and their members invited.",
                len(created),
            )
            % {"count": len(created)},
        )
    return _back(org, found)


@organisation_view(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def shared_pools(request: OrganisationRequest, org: str) -> HttpResponse:
    """The organisation's part in shared digital pools: start one, agree, decline, withdraw."""
    organisation = request.organisation
    others = list(Organisation.objects.exclude(pk=organisation.pk).order_by("name", "pk"))
    form = PoolForm(request.POST or None, organisations=others)
    if request.method == "POST" and form.is_valid():
        pool = shared.create_pool(request, organisation, form.cleaned_data["name"], form.chosen())
        messages.success(
            request,
            _("The shared pool “%(name)s” was started. The invited organisations can now agree.")
            % {"name": pool.name},
        )
        return redirect("matching:shared", org=org)
    pools = []
    for member in shared.memberships(organisation):
        pools.append(
            {
                "member": member,
                "partners": PoolMember.objects.filter(pool=member.pool)
                .exclude(organisation=organisation)
                .select_related("organisation")
                .order_by("organisation__name"),
            }
        )
    return render(request, "matching/shared.html", {"form": form, "pools": pools})


@organisation_view(Role.ADMIN)
@require_POST
def shared_pool_answer(request: OrganisationRequest, org: str, pool: uuid.UUID) -> HttpResponse:
    organisation = request.organisation
    get_object_or_404(PoolMember, organisation=organisation, pool__public_id=pool)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an answer."))
        return redirect("matching:shared", org=org)
    perform(
        request,
        lambda: shared.answer(request, organisation, pool, form.cleaned_data["answer"]),
        success=_("Your organisation's answer was saved."),
    )
    return redirect("matching:shared", org=org)


@organisation_view(Role.COORDINATOR)
@require_http_methods(["GET"])
def places(request: OrganisationRequest, org: str) -> HttpResponse:
    """Places in other organisations' shared-pool groups offered to our people."""
    organisation = request.organisation
    transfers = list(shared.pending_for(organisation))
    audit.read(request, "matching.transfers.viewed", transfers)
    rows = [
        {
            "transfer": t,
            "slot": slot_label(t.slot),
            "pending": t.state == Transfer.State.PENDING,
        }
        for t in transfers
    ]
    return render(request, "matching/places.html", {"rows": rows})


@organisation_view(Role.COORDINATOR)
@require_POST
def place_decide(request: OrganisationRequest, org: str, transfer: uuid.UUID) -> HttpResponse:
    organisation = request.organisation
    found = shared.own_transfer(organisation, transfer)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to release the person or keep them here."))
        return redirect("matching:places", org=org)
    release = form.cleaned_data["decision"] == "release"
    perform(
        request,
        lambda: shared.decide(request, found, release),
        success=_("%(name)s was released and invited to the group.")
        % {"name": found.registration.display_name}
        if release
        else _("%(name)s stays on your waiting list.") % {"name": found.registration.display_name},
    )
    return redirect("matching:places", org=org)
