"""The audit trail as hash chains: one chain per organisation, one for rows without one.

Every ``AuditEvent`` carries its place in its chain (``chain_seq``, 1, 2, 3 ...) and
``chain_hash``, the SHA-256 of the previous row's hash and the row's canonical form
(:func:`link_hash`). ``AuditChainHead`` keeps each chain's last place and hash; a writer locks
that row, so two writers never fork a chain (decision 0105).

Who did it (actor id, label, IP address) is not hashed in clear: the chain holds
``actor_seal``, the SHA-256 of a random per-row ``seal_nonce`` and those fields. Retention
pseudonymises a deleted relative's rows (decision 0086) by replacing the actor and erasing the
nonce; the seal, and with it the chain, stays intact, and without the nonce the seal cannot be
traced back to the person.

:func:`verify` walks every chain and returns the first break of each; ``manage.py
verify_audit`` prints them, and ``--head`` prints the heads to keep outside the database.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

if TYPE_CHECKING:
    from kretsen.core.models import AuditEvent

# The hash before a chain's first row.
GENESIS = "0" * 64
# Part of every hashed form, so that a future change of the form is a new version, not a break.
VERSION = "kretsen-audit-1"
NO_ORGANISATION = 0


def actor_seal(nonce: str, actor_id: int | None, actor_label: str, ip_address: str | None) -> str:
    """SHA-256 over who did it, with a random nonce that retention erases (decision 0105)."""
    form = json.dumps([nonce, actor_id, actor_label, ip_address], ensure_ascii=False)
    return hashlib.sha256(form.encode()).hexdigest()


def canonical_time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_data(data: Any) -> Any:
    # The database gives JSON back, so hash what it will give back (keys as strings, lists).
    return json.loads(json.dumps(data))


def link_hash(
    previous: str,
    seq: int,
    organisation_id: int | None,
    at: datetime,
    action: str,
    object_type: str,
    object_id: str,
    data: Any,
    seal: str,
    subjects: Any = None,
) -> str:
    """The chain hash of one row: SHA-256 of the previous hash, a newline and the row's
    canonical form, a compact JSON array in this order (documented in decision 0105); the
    people a read showed (decision 0115) follow last, on rows that name any."""
    fields = [
        VERSION,
        seq,
        organisation_id,
        canonical_time(at),
        action,
        object_type,
        object_id,
        canonical_data(data),
        seal,
    ]
    if subjects is not None:
        fields.append(canonical_data(subjects))
    form = json.dumps(
        fields,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{previous}\n{form}".encode()).hexdigest()


def _locked_head(chain: int) -> Any:
    from kretsen.core.models import AuditChainHead

    heads = AuditChainHead.objects.select_for_update()
    head = heads.filter(chain=chain).first()
    if head is None:
        try:
            with transaction.atomic():
                head = AuditChainHead.objects.create(chain=chain, seq=0, hash=GENESIS)
        except IntegrityError:  # another writer started the chain at the same moment
            head = heads.get(chain=chain)
    return head


@contextmanager
def next_link(event: AuditEvent) -> Iterator[None]:
    """Give ``event`` its place in its chain; the caller inserts it inside this block.

    On PostgreSQL the chain's head row stays locked until the surrounding transaction ends;
    on SQLite (transaction mode IMMEDIATE) writers are serialised by the database.
    """
    with transaction.atomic():
        head = _locked_head(event.organisation_id or NO_ORGANISATION)
        event.seal_nonce = secrets.token_hex(16)
        event.actor_seal = actor_seal(
            event.seal_nonce, event.actor_id, event.actor_label, event.ip_address
        )
        event.chain_seq = head.seq + 1
        event.chain_hash = link_hash(
            head.hash,
            event.chain_seq,
            event.organisation_id,
            event.at,
            event.action,
            event.object_type,
            event.object_id,
            event.data,
            event.actor_seal,
            event.subjects,
        )
        yield
        head.seq = event.chain_seq
        head.hash = event.chain_hash
        head.save(update_fields=["seq", "hash"])


@dataclass(frozen=True)
class Head:
    """A chain's last place and hash, as printed by ``verify_audit --head``."""

    organisation_id: int | None
    seq: int
    hash: str

    def line(self) -> str:
        chain = self.organisation_id if self.organisation_id is not None else "none"
        return f"audit-head organisation={chain} seq={self.seq} hash={self.hash}"

    @classmethod
    def parse(cls, line: str) -> Head:
        """Read a line written by :meth:`line`; ValueError for anything else."""
        words = line.split()
        if len(words) != 4 or words[0] != "audit-head":
            raise ValueError(f"Not an audit head: {line!r}")
        fields = dict(word.split("=", 1) for word in words[1:])
        chain = fields["organisation"]
        return cls(None if chain == "none" else int(chain), int(fields["seq"]), fields["hash"])


@dataclass(frozen=True)
class Break:
    """The first broken link of one chain."""

    organisation_id: int | None
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        chain = self.organisation_id if self.organisation_id is not None else "none"
        row = self.event_id if self.event_id is not None else "-"
        return f"organisation {chain}, row {row}: {self.problem}"


def heads() -> list[Head]:
    from kretsen.core.models import AuditChainHead

    return [
        Head(head.chain or None, head.seq, head.hash)
        for head in AuditChainHead.objects.order_by("chain")
    ]


_ROW_FIELDS = (
    "id",
    "chain_seq",
    "chain_hash",
    "organisation_id",
    "at",
    "action",
    "object_type",
    "object_id",
    "data",
    "subjects",
    "actor_seal",
    "seal_nonce",
    "actor_id",
    "actor_label",
    "ip_address",
)


def _rows(organisation_id: int | None) -> Iterator[dict[str, Any]]:
    from kretsen.core.models import AuditEvent

    events = AuditEvent.writer.all()
    if organisation_id is None:
        events = events.filter(organisation__isnull=True)
    else:
        events = events.filter(organisation_id=organisation_id)
    rows = events.order_by("chain_seq", "id")
    yield from rows.values(*_ROW_FIELDS).iterator(chunk_size=2000)


def _actor_problem(row: dict[str, Any]) -> str | None:
    if row["seal_nonce"]:
        expected = actor_seal(
            row["seal_nonce"], row["actor_id"], row["actor_label"], row["ip_address"]
        )
        return None if expected == row["actor_seal"] else "who did it or the IP address changed"
    # Without a nonce the row must be a pseudonymised one (decision 0086).
    from kretsen.core.audit import PSEUDONYM_PREFIX

    if (
        row["actor_id"] is None
        and row["ip_address"] is None
        and row["actor_label"].startswith(PSEUDONYM_PREFIX)
    ):
        return None
    return "its seal was erased but it does not hold a pseudonym"


def _verify_chain(
    organisation_id: int | None, head: Head | None, recorded: Head | None
) -> Break | None:
    previous = GENESIS
    expected_seq = 1
    last_id: int | None = None
    recorded_seen = recorded is None or recorded.seq == 0
    for row in _rows(organisation_id):
        seq = row["chain_seq"]
        if seq != expected_seq:
            missing = (
                f"rows {expected_seq} to {seq - 1} of the chain are missing"
                if seq > expected_seq
                else f"its place {seq} in the chain repeats or goes back (expected {expected_seq})"
            )
            return Break(organisation_id, row["id"], missing)
        problem = _actor_problem(row)
        if problem is not None:
            return Break(organisation_id, row["id"], problem)
        expected = link_hash(
            previous,
            seq,
            row["organisation_id"],
            row["at"],
            row["action"],
            row["object_type"],
            row["object_id"],
            row["data"],
            row["actor_seal"],
            row["subjects"],
        )
        if expected != row["chain_hash"]:
            return Break(organisation_id, row["id"], "its content changed after it was written")
        if recorded is not None and seq == recorded.seq:
            if row["chain_hash"] != recorded.hash:
                return Break(
                    organisation_id, row["id"], "it differs from the head recorded outside"
                )
            recorded_seen = True
        previous = row["chain_hash"]
        expected_seq = seq + 1
        last_id = row["id"]
    last_seq = expected_seq - 1
    if head is None:
        if last_seq:
            return Break(organisation_id, last_id, "the chain's head is missing")
    elif head.seq != last_seq or head.hash != previous:
        if head.seq > last_seq:
            problem = f"the last rows of the chain are missing (after {last_seq}, up to {head.seq})"
        else:
            problem = "the chain's head does not match its last row"
        return Break(organisation_id, last_id, problem)
    if not recorded_seen and recorded is not None:
        return Break(
            organisation_id,
            None,
            f"row {recorded.seq} of the head recorded outside is missing (the chain ends at "
            f"{last_seq})",
        )
    return None


def verify(recorded: Iterable[Head] = ()) -> list[Break]:
    """Check every chain; the first break of each, empty when the trail is whole.

    ``recorded`` are heads kept outside the database (``verify_audit --head`` output): each
    must still be in its chain with the same hash, which also catches a trail emptied and
    written anew together with its heads.
    """
    from kretsen.core.models import AuditEvent

    known = {head.organisation_id: head for head in heads()}
    outside = {head.organisation_id: head for head in recorded}
    with_rows = set(
        AuditEvent.writer.order_by().values_list("organisation_id", flat=True).distinct()
    )
    breaks = []
    for organisation_id in sorted(
        with_rows | set(known) | set(outside), key=lambda chain: chain or NO_ORGANISATION
    ):
        found = _verify_chain(
            organisation_id, known.get(organisation_id), outside.get(organisation_id)
        )
        if found is not None:
            breaks.append(found)
    return breaks


# --- The scheduler's daily check ----------------------------------------------------------
# From this hour (local time) the scheduler queues the day's check once.
CHECK_HOUR = 4


def claim_daily_check(now: datetime | None = None) -> int | None:
    """The id of today's check when this call claimed it, else None (a unique day)."""
    from django.utils import timezone

    from kretsen.core.models import AuditCheck

    local = timezone.localtime(now or timezone.now())
    if local.hour < CHECK_HOUR:
        return None
    check, created = AuditCheck.objects.get_or_create(day=local.date())
    return check.pk if created else None


def queue_daily_check() -> bool:
    """Registered with :mod:`kretsen.core.periodic`: queue today's check once it is due."""
    check_id = claim_daily_check()
    if check_id is None:
        return False
    from kretsen.core.tasks import check_audit_chain  # the tasks module imports services

    transaction.on_commit(lambda: check_audit_chain.enqueue(check_id))
    return True


def run_daily_check(check_id: int) -> list[Break]:
    """Verify every chain, keep the result on the day's check and mail the operators when
    something is broken."""
    from django.utils import timezone

    from kretsen.core.models import AuditCheck

    breaks = verify()
    AuditCheck.objects.filter(pk=check_id).update(
        finished_at=timezone.now(), breaks=[str(found) for found in breaks]
    )
    if breaks:
        alert_operators(breaks)
    return breaks


def alert_operators(breaks: list[Break]) -> int:
    """Mail every active operator (``create_operator`` accounts) in their language."""
    from kretsen.core import mail
    from kretsen.core.models import User

    operators = User.objects.staff().filter(is_superuser=True, is_active=True)
    count = 0
    for operator in operators:
        mail.send(
            operator.email,
            operator.language,
            "core/mail/audit_broken",
            {"breaks": [str(found) for found in breaks]},
        )
        count += 1
    return count
