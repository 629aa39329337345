"""Shared pieces for the browser journeys in Swedish and Norwegian.

The words the tests look for are written out here in Swedish and Norwegian, as the pages
show them (from ``src/kretsen/locale/{sv,nb}``), so a missing or changed translation fails
the journey instead of passing on an English fallback.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import axe_check, has_no_horizontal_scroll

LANGUAGE_COOKIE = "kretsen_language"
NARROW = 360
# The machine that runs the suite is shared; a page may take longer than conftest's 10 s.
PATIENCE_MS = 30_000


@dataclass(frozen=True)
class Country:
    """An organisation's country, its language and the words its pages use."""

    language: str
    other_language: str
    accept_language: str
    country: str
    time_zone: str
    emergency: str
    health_advice: str
    words: dict[str, str]


SWEDISH_WORDS = {
    "interested": "Jag är intresserad",
    "interest_title": "Anmäl ditt intresse",
    "name": "Vad får vi kalla dig?",
    "email": "E-postadress",
    "by_email": "E-post",
    "wish": "Vad vill du ha hjälp med? (frivilligt)",
    "send": "Skicka",
    "typed_kept": "Sidan visas nu på ett annat språk. Det du hade skrivit finns kvar.",
    "received_title": "Tack, vi har tagit emot din anmälan",
    "help_now": "Om du behöver hjälp nu",
    "talk_to": "Prata med {org}",
    "registrations": "Intresseanmälningar",
    "waiting_list": "Väntelista",
    "record_intake": "Dokumentera det inledande samtalet",
    "intake_title": "Inledande samtal med {name}",
    "readable": "{name} kan läsa allt som skrivs här",
    "save_intake": "Spara det inledande samtalet",
    "on_waiting_list": "På väntelistan",
    "groups": "Grupper",
    "add_from_waiting_list": "Lägg till från väntelistan",
    "ready_caption": "Redo för en grupp, längst väntetid först",
    "invite_chosen": "Bjud in de valda personerna",
    "invitations_sent": "Inbjudningarna är på väg.",
    "invited": "Inbjuden",
    "my_pages": "Mina sidor",
    "see_invitation": "Se inbjudan",
    "offered_place": "Du erbjuds en plats",
    "offer": "Erbjudande",
    "leaders": "Ledare",
    "meetings": "Träffar",
    "meeting_count": "{count} träffar:",
    "what_we_ask": "Det här ber vi dig om",
    "pledge_ask": "Före första träffen skriver du under gruppens tystnadslöfte",
    "no_reason": "Du behöver inte förklara varför du säger nej",
    "accept": "Ja, jag vill vara med",
    "decline": "Nej, inte nu",
    "welcome": "Välkommen till gruppen! Läs och skriv under tystnadslöftet.",
    "pledge_title": "Tystnadslöftet",
    "pledge_name": "Ditt namn eller ett påhittat namn",
    "pledge_promise": "Jag lovar att inte föra vidare det jag ser och hör i gruppen.",
    "sign_pledge": "Skriv under tystnadslöftet",
    "pledge_signed": "Tack! Tystnadslöftet är underskrivet.",
    "cant_come": "Jag kan inte komma",
    "absence_message": "Ett meddelande till ledarna (valfritt)",
    "absence_sent": "Tack för att du sa till. Ledarna vet att du inte kan komma.",
    "said_cant_come": "Du har sagt att du inte kan komma.",
    "can_come": "Jag kan komma ändå",
    "can_come_done": "Vad bra. Vi räknar med dig på träffen.",
    "answer_questions": "Svara på frågorna",
    "who5_title": "Ditt välbefinnande",
    "send_answers": "Skicka mina svar",
    "thanks_title": "Tack för dina svar",
    "not_alone": "Du behöver inte bära det här ensam.",
    "want_to_leave": "Jag vill lämna gruppen",
    "leave_title": "Lämna gruppen",
    "leave_why": "Vill du berätta varför? (valfritt)",
    "leave_confirm": "Ja, jag vill lämna gruppen.",
    "left": "Du har lämnat gruppen. Ledarna får besked. Ta hand om dig.",
    "left_title": "Du har lämnat den här gruppen",
    "figures": "Siffror",
    "suppression": "”dold”: siffran gäller färre än fem personer",
    "hidden": "dold",
}

NORWEGIAN_WORDS = {
    "interested": "Jeg er interessert",
    "interest_title": "Meld din interesse",
    "name": "Hva kan vi kalle deg?",
    "email": "E-postadresse",
    "by_email": "E-post",
    "wish": "Hva vil du ha hjelp med? (valgfritt)",
    "send": "Send",
    "typed_kept": "Siden vises nå på et annet språk. Det du hadde skrevet, er fortsatt der.",
    "received_title": "Takk, vi har mottatt meldingen din",
    "help_now": "Hvis du trenger hjelp nå",
    "talk_to": "Snakk med {org}",
    "registrations": "Interessemeldinger",
    "waiting_list": "Venteliste",
    "record_intake": "Dokumenter den innledende samtalen",
    "intake_title": "Innledende samtale med {name}",
    "readable": "{name} kan lese alt som skrives her",
    "save_intake": "Lagre den innledende samtalen",
    "on_waiting_list": "På ventelisten",
    "groups": "Grupper",
    "add_from_waiting_list": "Legg til fra ventelisten",
    "ready_caption": "Klar for en gruppe, lengst ventetid først",
    "invite_chosen": "Inviter de valgte personene",
    "invitations_sent": "Invitasjonene er på vei.",
    "invited": "Invitert",
    "my_pages": "Mine sider",
    "see_invitation": "Se invitasjonen",
    "offered_place": "Du får tilbud om en plass",
    "offer": "Tilbud",
    "leaders": "Ledere",
    "meetings": "Møter",
    "meeting_count": "{count} møter:",
    "what_we_ask": "Dette ber vi deg om",
    "pledge_ask": "Før første møte skriver du under på gruppens taushetsløfte",
    "no_reason": "Du trenger ikke forklare hvorfor du sier nei",
    "accept": "Ja, jeg vil være med",
    "decline": "Nei, ikke nå",
    "welcome": "Velkommen til gruppen! Les og skriv under taushetsløftet.",
    "pledge_title": "Taushetsløftet",
    "pledge_name": "Navnet ditt eller et oppdiktet navn",
    "pledge_promise": "Jeg lover å ikke fortelle videre det jeg ser og hører i gruppen.",
    "sign_pledge": "Skriv under taushetsløftet",
    "pledge_signed": "Takk! Taushetsløftet er underskrevet.",
    "cant_come": "Jeg kan ikke komme",
    "absence_message": "En melding til lederne (valgfritt)",
    "absence_sent": "Takk for at du sa fra. Lederne vet at du ikke kan komme.",
    "said_cant_come": "Du har sagt at du ikke kan komme.",
    "can_come": "Jeg kan komme likevel",
    "can_come_done": "Så fint. Vi regner med deg på møtet.",
    "answer_questions": "Svar på spørsmålene",
    "who5_title": "Ditt velvære",
    "send_answers": "Send svarene mine",
    "thanks_title": "Takk for svarene dine",
    "not_alone": "Du trenger ikke bære dette alene.",
    "want_to_leave": "Jeg vil gå ut av gruppen",
    "leave_title": "Gå ut av gruppen",
    "leave_why": "Vil du fortelle oss hvorfor? (valgfritt)",
    "leave_confirm": "Ja, jeg vil gå ut av gruppen.",
    "left": "Du har gått ut av gruppen. Lederne får beskjed. Ta vare på deg selv.",
    "left_title": "Du har forlatt denne gruppen",
    "figures": "Tall",
    "suppression": "«skjult»: tallet gjelder færre enn fem personer",
    "hidden": "skjult",
}

SWEDEN = Country(
    language="sv",
    other_language="nb",
    accept_language="sv-SE,sv;q=0.9",
    country="SE",
    time_zone="Europe/Stockholm",
    emergency="112",
    health_advice="1177",
    words=SWEDISH_WORDS,
)
NORWAY = Country(
    language="nb",
    other_language="sv",
    accept_language="nb-NO,nb;q=0.9,no;q=0.8",
    country="NO",
    time_zone="Europe/Oslo",
    emergency="113",
    health_advice="116 117",
    words=NORWEGIAN_WORDS,
)


def patient(page: Page) -> Page:
    page.context.set_default_timeout(PATIENCE_MS)
    return page


def use_language(page: Page, live_server: LiveServer, language: str) -> None:
    """Choose the language for the whole browser context, as the switcher's cookie does."""
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": live_server.url}])


def check_page(page: Page) -> None:
    """axe finds nothing serious, and the page does not scroll sideways at its width."""
    axe_check(page)
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert has_no_horizontal_scroll(page), f"{page.url} scrolls sideways at {width} px."


def check_narrow(page: Page) -> None:
    """The same page at 360 px, the narrowest common phone, then back to the first width."""
    before = page.viewport_size
    assert before is not None
    page.set_viewport_size({"width": NARROW, "height": before["height"]})
    try:
        check_page(page)
    finally:
        page.set_viewport_size(before)


def text_before(page_text: str, first: str, then: str) -> bool:
    """Whether ``first`` shows, and shows before ``then``, in the page's reading order."""
    return -1 < page_text.find(first) < page_text.find(then)
