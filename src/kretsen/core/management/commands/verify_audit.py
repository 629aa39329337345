"""Check the audit trail's hash chains; print the first break of each and exit non-zero.

``--head`` also prints each chain's head, to keep outside the database (the backup log);
``--compare FILE`` also checks heads recorded earlier, e.g. a whole backup log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kretsen.core import audit_chain


def read_heads(path: Path) -> list[audit_chain.Head]:
    """The latest recorded head of each chain in a file; other lines are skipped, so a whole
    backup log can be given."""
    latest: dict[int | None, audit_chain.Head] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        start = line.find("audit-head ")
        if start >= 0:
            head = audit_chain.Head.parse(line[start:])
            latest[head.organisation_id] = head
    return list(latest.values())


class Command(BaseCommand):
    help = "Check the audit trail's hash chains and report the first broken link of each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head", action="store_true", help="Print each chain's head to keep outside."
        )
        parser.add_argument(
            "--compare", type=Path, help="A file with heads printed earlier by --head."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recorded: list[audit_chain.Head] = []
        if options["compare"] is not None:
            try:
                recorded = read_heads(options["compare"])
            except (OSError, ValueError, KeyError) as error:
                raise CommandError(f"Cannot read recorded heads: {error}") from None
        breaks = audit_chain.verify(recorded)
        if options["head"]:
            for head in audit_chain.heads():
                self.stdout.write(head.line())
        if breaks:
            for found in breaks:
                self.stderr.write(f"Broken: {found}")
            raise CommandError(f"The audit trail is broken in {len(breaks)} chain(s).")
        chains = len(audit_chain.heads())
        compared = f", {len(recorded)} recorded head(s) found" if recorded else ""
        self.stdout.write(f"The audit trail is whole: {chains} chain(s){compared}.")
