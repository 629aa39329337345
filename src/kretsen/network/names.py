"""Common first names in Sweden and Norway, for the "this quote may name someone" warning.

A hand-made list of frequent given names across generations; it does not need to be complete,
only to catch the usual slip ("Anna said..."). Names that are also everyday words are listed
again in ``AMBIGUOUS_AT_SENTENCE_START``.
"""

from __future__ import annotations

_WOMEN = """
Agnes Aina Alba Alexandra Alice Alicia Alma Amalie Amanda Amelia Ane Anette Angelica Anita
Anja Ann Anna Anne Annelie Anneli Annika Astrid Aurora Barbro Berit Birgitta Birgit Bodil
Brita Britt Camilla Carina Caroline Cecilia Charlotte Clara Dagny Ebba Edith Eira Elin Elina
Elisabeth Elise Ella Ellen Ellinor Elsa Elvira Emelie Emilia Emma Erika Ester Eva Evelina Frida
Gerd Greta Gro Gudrun Gunhild Gunilla Gunn Gunnel Hanna Hannah Hedda Hedvig Heidi Helena Helene
Helga Hilda Hilde Ida Inga Inger Ingrid Irene Iris Jenny Johanna Josefin Julia Julie Kajsa
Karin Kari Karoline Katarina Kerstin Kine Kristin Kristina Lena Lilly Lina Linda Linn Linnea
Lisa Liv Lovisa Maja Malin Margareta Margit Maria Marianne Marie Marit Marta Martha Mathilde
Matilda Merete Mette Mia Moa Mona Monica Nora Nina Olivia Pernilla Ragnhild Randi Rebecka Rut
Sara Selma Signe Silje Sigrid Siri Siv Sofia Sofie Solveig Stina Susanne Synnøve Teresia Thea
Therese Tina Tone Tove Tuva Turid Ulla Ulrika Unni Vera Vibeke Viktoria Wenche Wilma Åsa Åse
Aase Asta
"""

_MEN = """
Adam Albin Alexander Alf Alfred Anders Andreas Arne Arvid Aksel Axel Bengt Bjørn Björn Bo
Christer Christian Dag Daniel David Egil Einar Elias Emil Erik Erling Espen Filip Finn Fredrik
Gabriel Geir Gunnar Gustav Göran Hans Harald Henrik Hugo Håkan Håkon Isak Ivar Jakob Jan Jens
Joakim Johan Johannes John Jon Jonas Jonathan Jörgen Jørgen Karl Kenneth Kjell Knut Kristian
Kristoffer Lars Leif Lennart Leo Liam Linus Ludvig Lukas Magnus Marcus Markus Martin Mats
Mattias Mikael Morten Nils Noah Odd Olav Ola Ole Oliver Olof Oscar Oskar Patrik Peder Per Peter
Petter Ragnar Rasmus Robert Roger Rolf Rune Sander Sebastian Sigurd Simon Sindre Stefan Sten
Stig Svein Sven Sverre Terje Theo Thomas Tobias Tom Tomas Tor Tore Torbjørn Trond Ulf Vidar
Viktor Vilhelm William Øystein Åke Ørjan Even Eirik Emanuel Hampus Melvin Love Ture Tage
"""

FIRST_NAMES: frozenset[str] = frozenset((_WOMEN + _MEN).split())

# Names that are also ordinary words (sv/nb) and so often capitalised at a sentence start.
AMBIGUOUS_AT_SENTENCE_START: frozenset[str] = frozenset(
    {
        "Per",
        "Liv",
        "Tor",
        "Bo",
        "Dag",
        "Siv",
        "Gro",
        "Love",
        "Even",
        "Finn",
        "Odd",
        "Tom",
        "Mona",
        "Vera",
        "Rut",
        "Tore",
        "Kari",
        "Ola",
        "Ester",
        "Gunn",
        "Iris",
        "Stig",
        "Sten",
        "Alf",
        "Ole",
        "Unni",
        "Ane",
        "Tage",
        "Hans",
    }
)
