"""Benchmark: compile and export one round of a large learning network.

Seeds invented data into a throw-away SQLite test database: one network, 30 local networks
(each its own organisation), one round with 4 questions, and from every local network a
submitted documentation with, for each question, a 2,000-word discussion and 20 quotes.
Then times, with ``time.perf_counter()``:

- theme suggestions for the whole round (4 questions; TF-IDF + SVD + k-means),
- accepting every suggestion (so that the report has themes with their quotes),
- building the report and writing the DOCX (python-docx),
- building the report and writing the PDF (WeasyPrint),
- building the web version's data.

Each export is run ``--repeat`` times (default 3) and the median reported. It opens the files
again (python-docx, pypdf) to check that every quote is there, and exits non-zero only when a
check fails, never because of timing.

    nice -n 10 .venv/bin/python -m benchmarks.network_report [--repeat N] [--suggestions-only]

The figures are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT / "src"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

LOCAL_NETWORKS = 30
QUESTIONS = 4
QUOTES = 20
WORDS = 2_000
SEED = 20261125

T = TypeVar("T")

TOPICS = [
    "avlösning korttidsboende växelvård biståndsbeslut handläggaren avlastning dagverksamhet",
    "skuld skam skuldkänslor samvete grannarna släkten hemlighet",
    "digitala videomöte kameran mikrofonen skärmen uppkopplingen pauser",
    "sömn trötthet orken vila återhämtning kroppen värken",
    "syskon barnen ungdomarna skolan föräldrarna tonåren kompisarna",
    "ekonomi pengarna arbetet sjukskrivning lönen försäkringskassan räkningarna",
    "hopp återhämtning framtiden glädje skratt vänskap styrka",
    "vården psykiatrin läkaren journalen sekretessen informationen mötena",
]
FILLER = [
    "vi",
    "pratade",
    "länge",
    "om",
    "hur",
    "vardagen",
    "ser",
    "ut",
    "och",
    "vad",
    "som",
    "hjälper",
    "när",
    "det",
    "blir",
    "tungt",
    "hemma",
    "på",
    "kvällen",
    "med",
    "familjen",
    "jobbet",
    "kommunen",
    "kaffe",
    "gruppen",
    "berättade",
    "erfarenheter",
    "ibland",
    "ofta",
    "aldrig",
    "alltid",
    "tillsammans",
    "själv",
    "ensam",
    "äntligen",
    "kanske",
    "mycket",
    "lite",
    "också",
]
ROLES = ["relative", "relative", "relative", "staff", "manager", "politician", "volunteer"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per export (default 3)")
    parser.add_argument(
        "--suggestions-only",
        action="store_true",
        help="stop after the theme suggestions (the exports now carry every passage as prose)",
    )
    return parser.parse_args(argv)


def sentence(rng: random.Random, topic: list[str], length: int) -> str:
    words = [rng.choice(topic) if rng.random() < 0.3 else rng.choice(FILLER) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def discussion(rng: random.Random) -> str:
    paragraphs = []
    total = 0
    while total < WORDS:
        topic = TOPICS[rng.randrange(len(TOPICS))].split()
        para = [sentence(rng, topic, rng.randint(10, 18)) for _ in range(rng.randint(5, 8))]
        text = " ".join(para)
        total += len(text.split())
        paragraphs.append(text)
    return "\n\n".join(paragraphs)


def seed(rng: random.Random) -> Any:
    from django.utils import timezone

    from kretsen.core.models import Organisation, User
    from kretsen.network.models import (
        Answer,
        LocalMember,
        LocalNetwork,
        Network,
        NetworkMembership,
        Question,
        Quote,
        Round,
        Submission,
    )

    network = Network.objects.create(
        name="Lärande nätverket för anhörigstöd (benchmark)",
        language="sv",
        purpose="Nätverket samlar kommuner som vill lära av varandra om stöd till anhöriga. "
        "Här möts anhöriga, personal, chefer, politiker och frivilliga: åäö æøå.",
    )
    coordinator = User.objects.create_staff_user("bench-network@example.org")
    NetworkMembership.objects.create(network=network, user=coordinator, role="network_coordinator")
    the_round = Round.objects.create(
        network=network,
        number=1,
        meetings_from=date(2026, 9, 1),
        meetings_to=date(2026, 10, 15),
        deadline=date(2026, 10, 31),
        state=Round.State.COMPILING,
        compiler_name="Nora Nätverk",
    )
    questions = [
        Question.objects.create(
            round=the_round,
            position=position,
            text=f"Fråga {position}: vad har gett er stöd, och vad saknades när det blev svårt?",
            sub_questions="Vad fungerade?\nVad skulle ni önska?",
        )
        for position in range(1, QUESTIONS + 1)
    ]
    quote_texts: list[str] = []
    for index in range(LOCAL_NETWORKS):
        organisation = Organisation.objects.create(
            slug=f"bench-net-{index}",
            name=f"Kommun {index:02d} – Älvsjö",
            kind="municipality",
            country="SE",
        )
        local = LocalNetwork.objects.create(
            network=network, organisation=organisation, name=f"Lokalt nätverk {index:02d}"
        )
        LocalMember.objects.bulk_create(
            LocalMember(local_network=local, role=rng.choice(ROLES)) for _ in range(11)
        )
        submission = Submission.objects.create(
            round=the_round,
            local_network=local,
            state=Submission.State.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for question in questions:
            answer = Answer.objects.create(
                submission=submission, question=question, discussion=discussion(rng)
            )
            quotes = []
            for position in range(QUOTES):
                topic = TOPICS[rng.randrange(len(TOPICS))].split()
                text = f"[{index}-{question.position}-{position}] " + sentence(
                    rng, topic, rng.randint(12, 30)
                )
                quote_texts.append(text)
                quotes.append(
                    Quote(answer=answer, role=rng.choice(ROLES), text=text, position=position)
                )
            Quote.objects.bulk_create(quotes)
    return the_round, questions, quote_texts


class _Stop(Exception):
    """Ends the run early when only the suggestions are measured."""


def timed(function: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def median_of(repeat: int, function: Callable[[], T]) -> tuple[float, T]:
    times = []
    result: T | None = None
    for _ in range(repeat):
        elapsed, result = timed(function)
        times.append(elapsed)
    assert result is not None
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    import django

    django.setup()
    from django.db import connection
    from django_scopes import scopes_disabled

    temporary = tempfile.mkdtemp(prefix="kretsen-bench-")
    connection.settings_dict["TEST"]["NAME"] = str(Path(temporary) / "bench.sqlite3")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    failures: list[str] = []
    rows: list[tuple[str, float, str]] = []
    try:
        from docx import Document
        from pypdf import PdfReader

        from kretsen.network.services import compilation, report

        rng = random.Random(SEED)  # noqa: S311
        with scopes_disabled():
            seconds, (the_round, questions, quote_texts) = timed(lambda: seed(rng))
            print(f"seeded in {seconds:.1f} s", file=sys.stderr)

            def suggest_round() -> int:
                return sum(len(compilation.suggest_themes(None, q)) for q in questions)

            seconds, suggested = timed(suggest_round)
            rows.append(("Theme suggestions, whole round", seconds, f"{suggested} themes proposed"))

            def accept_all() -> int:
                count = 0
                for question in questions:
                    for suggestion in list(question.suggestions.all()):
                        compilation.accept_suggestion(None, suggestion)
                        count += 1
                return count

            seconds, accepted = timed(accept_all)
            rows.append(("Accepting every suggestion", seconds, f"{accepted} themes"))
            if args.suggestions_only:
                raise _Stop

            seconds, built = median_of(args.repeat, lambda: report.build(the_round))
            rows.append(
                ("Building the report (web version)", seconds, f"{len(built.all_quotes())} quotes")
            )

            seconds, docx_bytes = median_of(args.repeat, lambda: report.to_docx(the_round))
            document = Document(io.BytesIO(docx_bytes))
            italic = {
                run.text
                for paragraph in document.paragraphs
                for run in paragraph.runs
                if run.italic
            }
            missing = [text for text in quote_texts if text not in italic]
            if missing:
                failures.append(f"DOCX: {len(missing)} quotes missing or not italic")
            rows.append(
                (
                    "DOCX export (build + write)",
                    seconds,
                    f"{len(docx_bytes) // 1024} KB, {len(document.paragraphs)} paragraphs",
                )
            )

            seconds, pdf_bytes = median_of(args.repeat, lambda: report.to_pdf(the_round))
            reader = PdfReader(io.BytesIO(pdf_bytes))
            pdf_text = " ".join(
                " ".join((page.extract_text() or "").split()) for page in reader.pages
            )
            missing = [text for text in quote_texts if text.split("] ")[0] + "]" not in pdf_text]
            if missing:
                failures.append(f"PDF: {len(missing)} quotes missing")
            rows.append(
                (
                    "PDF export (build + write)",
                    seconds,
                    f"{len(pdf_bytes) // 1024} KB, {len(reader.pages)} pages",
                )
            )
    except _Stop:
        pass
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(temporary, ignore_errors=True)

    import django as django_module

    print(
        f"Python {platform.python_version()}, Django {django_module.get_version()}, "
        f"{os.cpu_count()} cores, {date.today().isoformat()}: {LOCAL_NETWORKS} local networks x "
        f"{QUESTIONS} questions x {QUOTES} quotes and {WORDS:,} words each "
        f"({LOCAL_NETWORKS * QUESTIONS * QUOTES:,} quotes, "
        f"{LOCAL_NETWORKS * QUESTIONS * WORDS:,} words of discussion); median of {args.repeat}."
    )
    print()
    print("| Step | Seconds | Result |")
    print("| --- | ---: | --- |")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.2f} | {note} |")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
