"""Theme suggestions group clearly separable passages by topic."""

from __future__ import annotations

from kretsen.network.clustering import Unit, suggest

TOPICS = {
    "respite": [
        "avlösning i hemmet gav mig några timmar för mig själv",
        "korttidsboende och avlösning behövs oftare än en gång i månaden",
        "vi fick avlösning först efter biståndsbeslut från handläggaren",
        "avlastning och korttidsboende gjorde att jeg fikk sove",
        "utan avlösning hade jag inte orkat ett år till",
        "biståndsbeslut om avlösning tog tre månader",
    ],
    "guilt": [
        "skuld och skam över att inte räcka till som förälder",
        "jeg kjenner skyld og skam når jeg sier nei",
        "skammen gör att man inte berättar för grannarna",
        "skuldkänslor varje gång jag tackar nej till att hjälpa",
        "skam och skuld följer med hela tiden",
        "det är svårt att prata om skammen med släkten",
    ],
    "digital": [
        "digitala träffar via video passar när vägen är lång",
        "kameran och mikrofonen krånglade i den digitala träffen",
        "videomøter fungerte godt med en teknisk vert",
        "en testträff före den digitala gruppen gjorde det lättare med video",
        "digitala grupper behöver pauser och kamera på",
        "video från köket blev bra men ljudet hackade",
    ],
}


def test_it_groups_separable_passages_by_topic() -> None:
    units = [
        Unit(f"{topic}:{i}", passage)
        for topic, passages in TOPICS.items()
        for i, passage in enumerate(passages)
    ]
    clusters = suggest(units, max_themes=6)
    assert len(clusters) == 3
    for cluster in clusters:
        topics = {key.split(":")[0] for key in cluster.keys}
        assert len(topics) == 1, cluster
        assert len(cluster.keys) == 6
        assert cluster.keywords
    keywords = {
        next(iter({key.split(":")[0] for key in c.keys})): " ".join(c.keywords) for c in clusters
    }
    assert "avlösning" in keywords["respite"]
    assert "skuld" in keywords["guilt"] or "skam" in keywords["guilt"]


def test_it_ignores_stop_words_and_proposes_nothing_for_too_little_text() -> None:
    assert suggest([Unit("a", "och det är så"), Unit("b", "att vi")]) == []
    assert suggest([Unit("a", "och det är"), Unit("b", "och jag"), Unit("c", "det var")]) == []


def test_it_is_deterministic() -> None:
    units = [Unit(f"{t}:{i}", p) for t, ps in TOPICS.items() for i, p in enumerate(ps)]
    assert suggest(units) == suggest(units)
