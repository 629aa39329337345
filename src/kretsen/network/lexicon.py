"""What a passage argues about, beyond its exact words: a small hand-written thesaurus.

Compilers group contributions by argument, and people say the same thing in different words
("tystnadsplikt", "det stannar i rummet", "taushetsplikt"). Word statistics alone cannot see
that in a round's few dozen short passages. Each concept below lists word roots in Swedish
and Norwegian (Bokmål) drawn from the recurring topics of relatives' groups and learning
networks (docs/decisions/0070); a long root matches inside compounds ("skam" in
"skamkänslor"), a short one only at the start of a word. A matched concept becomes one more
feature of the passage, next to its words; it never names a theme.

Written for this project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONCEPTS = {
    "shame": "skam skäm stigma fasad hemlig hemmelig tiga skjul dölj nederlag erkänna erkjenne",
    "loyalty": "svek svik förrädare förräd forræd lojal ryggen skvaller baksnakk hänga_ut",
    "guilt": "skuld skyld samvete samvittig självanklag selvbebrei förbjudna dömde dømte",
    "carer_identity": "anhörigvård pårørendeomsorg självklart smyger märker märkte "
    "ingen_hade_frågat",
    "not_alone": "ensam alene likadant igenkän gjenkjen normal konstiga sammanhang fellesskap "
    "nickade forstår_hverandre förstod_varandra",
    "information": "affisch plakat broschyr brosjyre annons annonse webb hemsida nettside "
    "facebook länk lenke bibliotek apotek vårdcentral legekontor ambassadör tipsa lappen",
    "work_time": "jobb arbete arbeid heltid arbetsgivare arbeidsgiver dagtid kväll kveld hinna "
    "rekke middag",
    "distance": "buss resa restid reise mil landsbygd bygd färdtjänst samåkning parkering "
    "vägar veier avstånd avstand orter kommuner vinter",
    "respite": "avlösning avlastning avlaster växelvård korttid dagverksamhet dagsenter "
    "hemtjänst hjemmetjeneste omhändertagen sitter_hos",
    "rights": "bistånd handläggare saksbehandler ansök søk blankett skjema överklag klage "
    "vårdplanering bostadsanpassning rättighet rettighet vedtak beslut ",
    "first_contact": "ringde ringte enskilt samtal_innan oppstart bemöt møtt lyssnade lyttet "
    "ärende "
    "hänvisad henvist stressad konsulent första_kontakt prova",
    "confidentiality": "tystnadsplikt sekretess taushetsplikt löfte løfte stannar_i_rummet "
    "blir_i_rommet "
    "skriva_under skrive_under skärmbild skjermbild inspel ta_opp spela_in melde barnevern "
    "avtalen tillit kjent",
    "leader": "ledare ledaren leder igangsett samtalsledare fördela ordet runde runda tur "
    "avbryt dominer all_tiden handupp gjenstand roller terapeut henvise",
    "no_pressure": "press tvinga lytte lyssna stillhet tystnad pass klar redo frivillig "
    "personlig detaljer sterke ting ingen_presset en_tur",
    "composition": "samma_situation samme_situasjon föräldrar foreldre mödrar mødre menn män "
    "ålder alder blandad blandet ektefeller størrelse storlek passer_i_gruppe tjueåring",
    "setting": "lokalen lokale kaffe fika vafler levende_lys ljus rommet rummet bord i_ring "
    "sykehus kontor gangen "
    "faste_tider två_timmar to_timer",
    "technique": "app ladda laste ljud lyd bild bilde mikrofon kamera uppkoppling nettet "
    "surfplatta nettbrett dator logga logge teknik provmöte prøvemøte knapp lathund taket",
    "screen_closeness": "kram klem närhet nærhet skärm skjerm rutor ruter ansikte ansikt "
    "småprat på_riktigt näsduk kök tillsammans sammen gemenskap",
    "privacy_home": "höra høre hör hörlur hodetelefon bredvid ved_siden ostört eget_rum "
    "fåtölj egen_miljö pseudonym igenkända",
    "own_health": "hälsa helse sömn søvn trött sliten orka orke säga_nej si_nei gräns grense "
    "vila hvile simma läkare lege eget_liv ta_emot_hjälp",
    "network_after": "telefonnummer chatt vänner venner fortsätt fortsett egen_hand promenad "
    "förening forening träffpunkt begravning kontakten",
    "hope": "hopp håp framtid fremtid glädje glede återhämtning bedring",
    "acute": "akut akutt natt legevakt 112 113 1177 polis",
    "grief": "sorg förlust tap saknad savn dog døde",
}

CONCEPTS: dict[str, tuple[str, ...]] = {
    name: tuple(sorted({root.replace("_", " ") for root in roots.split()}))
    for name, roots in _CONCEPTS.items()
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class _Concept:
    """A concept's roots sorted by how they match (see the module docstring)."""

    words: frozenset[str]  # up to three letters: whole words
    starts: frozenset[str]  # four letters: the start of a word
    phrases: tuple[str, ...]  # several words, as they are
    inside: re.Pattern[str] | None  # five letters or more: anywhere in a word


def _compile(roots: tuple[str, ...]) -> _Concept:
    long = [root for root in roots if " " not in root and len(root) >= 5]
    return _Concept(
        words=frozenset(r for r in roots if " " not in r and len(r) <= 3),
        starts=frozenset(r for r in roots if " " not in r and len(r) == 4),
        phrases=tuple(r for r in roots if " " in r),
        inside=re.compile("|".join(map(re.escape, long))) if long else None,
    )


_COMPILED = {name: _compile(roots) for name, roots in CONCEPTS.items()}


def concepts_of(text: str) -> list[str]:
    """The concepts a text touches, once each, as pseudo-words (``§shame``)."""
    words = _WORD.findall(text.lower())
    joined = " " + " ".join(words) + " "
    present = set(words)
    starts = {word[:4] for word in words}
    found = []
    for name, concept in _COMPILED.items():
        if (
            not concept.words.isdisjoint(present)
            or not concept.starts.isdisjoint(starts)
            or any(f" {phrase}" in joined for phrase in concept.phrases)
            or (concept.inside is not None and concept.inside.search(joined))
        ):
            found.append(f"§{name}")
    return found
