"""Short documents written for the tests: prose paragraphs long and natural enough to count as content.

Each paragraph is over 200 characters of ordinary sentences, so the content classifier keeps it
on its own evidence and a test can put boilerplate around it and see only the boilerplate go.
"""

from __future__ import annotations

EN = [
    "The old ferry that crosses the river at the bottom of the village has been running for more than a "
    "hundred years, and most of the people who live here can still remember the first time they rode it "
    "with their parents on a cold morning in the middle of winter.",
    "When the council announced last spring that the service would be cut to two crossings a day, there was "
    "a long and angry meeting in the school hall, where farmers, teachers and shop owners all took their turn "
    "to explain what the boat meant to them and to their families.",
    "In the end a small group of volunteers offered to help with the tickets and the cleaning, so that the "
    "money saved could be spent on the engine, and the council agreed to keep the timetable as it was for at "
    "least another three years while a new plan is written.",
    "The bakery on the square opens at six every morning, and by seven there is usually a short queue of "
    "people on their way to work who want a warm loaf, a cup of coffee and a few minutes of talk about the "
    "weather before the day begins in earnest.",
    "Her grandmother kept bees in the orchard behind the house for almost forty years, and she still has the "
    "notebooks in which every harvest was written down in pencil, together with the names of the flowers that "
    "were in bloom at the time.",
    "On the last weekend of the summer the whole street closes to traffic for the market, and the children "
    "who have spent the holidays building little wooden boats are allowed to race them in the fountain while "
    "their parents look for bargains.",
]

ES = [
    "El viejo transbordador que cruza el río al pie del pueblo lleva más de cien años en servicio, y casi "
    "todos los vecinos recuerdan la primera vez que subieron a bordo con sus padres en una mañana fría de invierno.",
    "Cuando el ayuntamiento anunció la pasada primavera que el servicio se reduciría a dos viajes al día, hubo "
    "una reunión larga y tensa en el salón de la escuela, donde cada uno explicó lo que el barco significaba "
    "para su familia.",
]

FR = [
    "Le vieux bac qui traverse la rivière au pied du village fonctionne depuis plus de cent ans, et la plupart "
    "des habitants se souviennent encore de la première fois où ils y sont montés avec leurs parents par un matin froid.",
    "Quand la mairie a annoncé au printemps dernier que le service serait réduit à deux traversées par jour, il "
    "y a eu une longue réunion dans la salle de l'école, où chacun a expliqué ce que le bateau représentait pour "
    "sa famille.",
]

DE = [
    "Die alte Fähre, die unten am Dorf über den Fluss fährt, ist seit mehr als hundert Jahren in Betrieb, und "
    "fast alle Leute, die hier wohnen, erinnern sich noch an ihre erste Fahrt mit den Eltern an einem kalten Wintermorgen.",
    "Als die Gemeinde im letzten Frühjahr verkündete, dass es nur noch zwei Fahrten am Tag geben sollte, gab es "
    "eine lange und hitzige Versammlung in der Turnhalle der Schule, bei der jeder sagen konnte, was das Boot "
    "für seine Familie bedeutet.",
]

PT = [
    "A velha balsa que atravessa o rio perto da nossa aldeia já funciona há mais de cem anos, e quase todos os "
    "que moram aqui ainda se lembram da primeira vez em que fizeram a travessia com os pais, numa manhã muito fria de inverno.",
    "Quando a câmara anunciou na primavera passada que o serviço seria reduzido a duas travessias por dia, houve "
    "uma reunião longa e tensa no salão da escola, onde cada um explicou o que o barco significava para a sua família.",
]

PROSE = {"en": EN, "es": ES, "fr": FR, "de": DE, "pt": PT}


def lines(*paragraphs: str) -> str:
    """A document in the one-paragraph-per-line convention."""
    return "\n".join(paragraphs) + "\n"
