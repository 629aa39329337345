"""Words too common to say anything about a theme, in Swedish, Norwegian (Bokmål) and English.

Written for this project. Besides function words they hold the words every contribution to a
learning network uses ("anhörig", "grupp", "träff"), which would otherwise top every theme.
"""

from __future__ import annotations

SWEDISH = """
alla allt alltid andra annat att av bara bli blev blir borde både de dem den denna deras dess
det detta dig din dina ditt du där då efter eftersom ej eller en er era ert ett från för före
genom ha hade han hans har hela helt hem hennes het hit hon honom hur här i icke ingen inget
inom inte ja jag ju kan kanske kom komma kommer kunde man med medan mellan men mer mera mig min
mina mitt mot mycket många måste ni nog när någon något några nu också och om oss på redan
sa sade sagt samma sedan sig sin sina sitt själv ska skall skulle som så sådan sådana säger
till tills tror under upp ut utan vad var vara varit varför varje vars vem vi vid vilka vilken
vilket vill vår våra vårt än än ännu är även åt över att ofta lite ganska väldigt bra gör göra
gjorde får fick få kanske finns fanns bli där dit därför liksom mest saker sak ens igen
anhörig anhöriga anhörigas grupp gruppen grupper träff träffen träffar möte mötet möten
fråga frågan frågor tycker tyckte tänker säga sagt säger berättade berättar
"""

NORWEGIAN = """
alle alt alltid andre annet at av bare bli ble blir burde både de dem den denne deres dens
det dette deg din dine ditt du der da etter ettersom eller en ei et fra for før gjennom ha
hadde han hans har hele helt hjem hennes hit hun ham hvordan her i ikke ingen ingenting innen
ja jeg jo kan kanskje kom komme kommer kunne man med mens mellom men mer meg min mine mitt mot
mye mange må måtte dere noen noe nå også og om oss på allerede sa sagt samme siden seg sin
sine sitt selv skal skulle som så slik slike sier til inntil under opp ut uten hva var være
vært hvorfor hver hvis hvem vi ved hvilke hvilken hvilket vil vår våre vårt enn ennå er
enda over ofte litt ganske veldig bra gjør gjøre gjorde får fikk få finnes fantes dit derfor
liksom mest ting igjen når
pårørende gruppe gruppa gruppen grupper møte møtet møter samling spørsmål spørsmålet synes
syntes tenker fortalte forteller
"""

ENGLISH = """
a about after all also always an and any are as at be because been before being both but by
can could did do does doing down during each few for from further had has have having he her
here hers him his how i if in into is it its just me more most my no nor not now of off on
once only or other our ours out over own same she should so some such than that the their
them then there these they this those through to too under until up very was we were what
when where which while who whom why will with would you your yours relative relatives group
groups meeting meetings question questions think said says told
"""

STOP_WORDS: frozenset[str] = frozenset((SWEDISH + NORWEGIAN + ENGLISH).split())

# Words that say nothing as a sub-heading, though they may help to group passages: common
# verbs, adverbs, adjectives and vague nouns ("exempel", "olika", "förrän", "behöver").
_NAME_STOP = """
exempel olika förrän innan dock alltså just precis egentligen faktiskt samt sådant något
behöver behövde prata pratade pratar delta deltar deltog finnas går gick gå komma kommit se
ser såg ta tar tog ge ger gav vet veta visste känner kände känns kändes hitta hittade förstå
förstod förstår hjälp hjälpa hjälper sätt del delar gång gånger tid dag dagar år viktigt
viktig viktiga bättre sämre svårt svår svåra lätt lättare stor stora stort liten små första
sista nya ny nytt person personer människor folk situation situationer fall flera några
många mer mest lika likadant hela helt efteråt sedan gärna enda egen eget egna varandra
sig själva själv annars ibland aldrig alltid länge lång långa kort korta bara nog tyckte
eksempel forskjellige likevel altså egentlig faktisk behøver snakke snakket delta deltar
finne finnes fant kommer se ser så ta tar tok gi gir ga vite vet visste kjenner kjente
forstå forsto hjelp hjelpe måte del deler gang ganger tid dager viktig viktige bedre
vanskelig vanskelige lett lettere store stort liten små første siste nye mennesker folk
situasjon flere noen mange mest like hverandre seg selv ellers noen aldri alltid lenge
lang lange kort korte bare nok godt gode god mye mer
två tre fyra fem sex sju åtta nio tio to fire seks syv åtte beskrev beskriver håller ber
føles mann män
example examples different various need needs talk take give know feel help way part time
day days year years important better good hard easy big small first last new people
"""

NAME_STOP_WORDS: frozenset[str] = frozenset(_NAME_STOP.split())

# After these a word is most likely a verb: subjects, modals, infinitive marks, negations.
_VERB_CUES = """
att jag vi de du ni han hon man hen det den ska skall kan vill måste bör skulle kunde
ville borde får fick inte aldrig som
å jeg dere hun skal vil må bør ville kunne måtte ikke
to i we they you he she it can will must should would could not never
"""

VERB_CUES: frozenset[str] = frozenset(_VERB_CUES.split())
