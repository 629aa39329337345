"""Invented demo data for the learning network, on top of ``kretsen.demo.loader``.

Uses the demo network and organisations that the core demo creates (looked up by name and
slug); does nothing when they are missing. Three local networks (two districts of Demo kommun
and Fjordby), round 1 with three questions, and documentation from two local networks, one of
them still a draft. Every text is made up. ``load_demo`` can run any number of times.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from kretsen.core.models import Organisation, User
from kretsen.network.models import (
    Answer,
    LocalMember,
    LocalNetwork,
    MemberRole,
    Network,
    Question,
    Quote,
    Round,
    Submission,
)

NETWORK_NAME = "Nationellt lärande nätverk (demo)"
DEMO_DOMAIN = "demo.kretsen.example"
PURPOSE = (
    "Nätverket samlar kommuner och föreningar som vill bli bättre på stöd till anhöriga. "
    "Lokala grupper med anhöriga, personal, chefer, politiker och frivilliga samtalar om "
    "samma frågor, och det vi lär oss samlas i en rapport efter varje omgång."
)
MEMBERS = [
    MemberRole.RELATIVE,
    MemberRole.RELATIVE,
    MemberRole.RELATIVE,
    MemberRole.RELATIVE,
    MemberRole.STAFF,
    MemberRole.STAFF,
    MemberRole.MANAGER,
    MemberRole.POLITICIAN,
    MemberRole.VOLUNTEER,
    MemberRole.VOLUNTEER,
]
QUESTIONS = [
    (
        "Hur får anhöriga veta att stödet finns?",
        "Var hörde ni talas om det första gången?\nVad hade gjort det lättare?",
        "Läs gärna den korta sammanfattningen om att nå anhöriga: https://example.org/na-anhoriga",
    ),
    (
        "Vad gör att en samtalsgrupp känns trygg?",
        "Vilka regler har varit viktiga?\nHur märks det när något inte fungerar?",
        "",
    ),
    (
        "Vad tar ni med er från träffarna in i vardagen?",
        "",
        "",
    ),
]
DOCUMENTATION = {
    "Demo kommun – norr": [
        (
            "Flera berättade att de fick höra om gruppen av en sjuksköterska eller på "
            "apoteket, inte från annonser. En anhörig hade burit på en broschyr i ett halvår "
            "innan hon ringde.\n\nPolitikern frågade om vi når dem som inte själva ser sig "
            "som anhöriga. Vi kom fram till att ordet anhörig kan stänga lika många dörrar "
            "som det öppnar.",
            "information, att nå ut",
            [
                (
                    MemberRole.RELATIVE,
                    "Jag trodde inte att det här var för mig, jag är ju bara granne.",
                ),
                (
                    MemberRole.STAFF,
                    "Vi behöver prata om gruppen i varje samtal, inte bara dela ut lappar.",
                ),
            ],
        ),
        (
            "Tystnadslöftet nämndes av alla. Att samma regler läses upp varje gång gav lugn. "
            "Någon tyckte att det var jobbigt när en deltagare tog mycket plats, och att "
            "ledaren då bröt in var en lättnad.",
            "trygghet, regler",
            [
                (
                    MemberRole.RELATIVE,
                    "Jag vet att det jag säger stannar i rummet. Därför kan jag gråta här.",
                ),
                (
                    MemberRole.VOLUNTEER,
                    "Det viktigaste jag gör är att koka kaffe och se vem som är tyst.",
                ),
            ],
        ),
        (
            "Många sa att de har börjat säga nej utan att känna skuld varje gång. Andra tar "
            "med sig telefonnummer till någon i gruppen.",
            "gränser, nätverk",
            [
                (MemberRole.RELATIVE, "Jag har lärt mig att jag också får ha ett eget liv."),
            ],
        ),
    ],
    "Fjordby": [
        (
            "De fleste hadde hørt om tilbudet fra fastlegen eller fra en venn som hadde vært "
            "med før. Tidligere deltakere er de beste ambassadørene.",
            "informasjon",
            [
                (MemberRole.RELATIVE, "Det var naboen min som sa at jeg burde gå. Hun hadde rett."),
                (MemberRole.MANAGER, "Vi må gjøre det lettere å si ja, med færre skjemaer."),
            ],
        ),
        (
            "En fast runde i starten av hvert møte gjør at alle blir sett. Det hjelper å vite "
            "at man ikke må si noe.",
            "trygghet",
            [
                (
                    MemberRole.RELATIVE,
                    "Jeg sa ingenting de første to gangene, og det var helt greit.",
                ),
            ],
        ),
        (
            "Mange tar med seg at de ikke er alene, og at skammen blir mindre når andre "
            "forteller det samme.",
            "skam, fellesskap",
            [
                (MemberRole.POLITICIAN, "Jeg har forstått mer her enn i ti år med saksdokumenter."),
            ],
        ),
    ],
}


def _local(
    network: Network, organisation: Organisation, name: str, leader: User | None
) -> LocalNetwork:
    local, created = LocalNetwork.objects.get_or_create(
        network=network, name=name, defaults={"organisation": organisation, "leader": leader}
    )
    if created:
        LocalMember.objects.bulk_create(
            LocalMember(local_network=local, role=role) for role in MEMBERS
        )
    return local


def _document(
    the_round: Round,
    local: LocalNetwork,
    submitted: bool,
    answers: list[tuple[str, str, list[tuple[MemberRole, str]]]],
) -> None:
    submission, created = Submission.objects.get_or_create(
        round=the_round,
        local_network=local,
        defaults={
            "state": Submission.State.SUBMITTED if submitted else Submission.State.DRAFT,
            "submitted_at": timezone.now() if submitted else None,
        },
    )
    if not created:
        return
    for question, (discussion, tags, quotes) in zip(
        the_round.questions.order_by("position"), answers, strict=False
    ):
        answer = Answer.objects.create(
            submission=submission, question=question, discussion=discussion, tags=tags
        )
        Quote.objects.bulk_create(
            Quote(answer=answer, role=role, text=text, position=position)
            for position, (role, text) in enumerate(quotes)
        )


@transaction.atomic
def load_demo() -> None:
    network = Network.objects.filter(name=NETWORK_NAME).first()
    demo = Organisation.objects.filter(slug="demo-kommun").first()
    fjordby = Organisation.objects.filter(slug="fjordby").first()
    if network is None or demo is None or fjordby is None:
        return
    if not network.purpose:
        network.purpose = PURPOSE
        network.save(update_fields=["purpose"])
    leader = User.objects.staff().filter(email=f"ledare@{DEMO_DOMAIN}").first()
    fjordby_leader = User.objects.staff().filter(email=f"koordinator@{DEMO_DOMAIN}").first()
    with scopes_disabled():
        north = _local(network, demo, "Demo kommun – norr", leader)
        _local(network, demo, "Demo kommun – söder", None)
        fjord = _local(network, fjordby, "Fjordby", fjordby_leader)
        today = timezone.localdate()
        the_round, created = Round.objects.get_or_create(
            network=network,
            number=1,
            defaults={
                "meetings_from": today - datetime.timedelta(days=21),
                "meetings_to": today + datetime.timedelta(days=7),
                "deadline": today + datetime.timedelta(days=14),
            },
        )
        if created:
            for position, (text, sub_questions, background) in enumerate(QUESTIONS, start=1):
                Question.objects.create(
                    round=the_round,
                    position=position,
                    text=text,
                    sub_questions=sub_questions,
                    background=background,
                )
        _document(the_round, north, True, DOCUMENTATION["Demo kommun – norr"])
        _document(the_round, fjord, False, DOCUMENTATION["Fjordby"])
