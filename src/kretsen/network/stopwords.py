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
