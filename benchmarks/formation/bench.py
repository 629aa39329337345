"""Benchmark of the formation engine against the two baselines on synthetic pools.

    python -m benchmarks.formation --sizes 30,200,1000,5000 --seeds 5 --output bench.md

Every (method, size, seed) runs in its own subprocess, so its peak memory (``ru_maxrss``) and
wall time are its own. The report gives, per size, the median over seeds of: objective (the
issue's formula), share placed, mean h of placed people, share placed among the quarter who
waited longest, the engine's proven bound and gap, wall time, peak memory, and the engine's
ratio to each baseline (median of per-seed ratios, with how many seeds were strictly higher).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from kretsen.matching.engine import (
    Group,
    Problem,
    check_proposal,
    fairness,
    first_come_first_served,
    form_groups,
    objective,
    person_h,
)

from .synthetic import FAMILIES, make_pool

DEFAULT_LIMITS = {30: 5.0, 200: 30.0, 1000: 60.0, 5000: 300.0}
METHODS = ("engine", "fcfs", "kmeans")


def measure(problem: Problem, groups: list[Group]) -> dict[str, float]:
    hs = [person_h(m, g.members, problem) for g in groups for m in g.members]
    figures = fairness(problem, groups)
    return {
        "objective": objective(problem, groups),
        "placed": figures.placed_share,
        "mean_h": sum(hs) / len(hs) if hs else 0.0,
        "placed_longest": figures.longest_waiting_share,
        "invalid": float(len(check_proposal(groups, problem))),
    }


def run_one(
    method: str, family: str, size: int, seed: int, limit: float, workers: int
) -> dict[str, Any]:
    problem = make_pool(size, seed, time_limit=limit, num_workers=workers, family=family)
    tree = _TreeMemory()
    started = time.monotonic()
    cpu = time.process_time() + _children_cpu()
    bound = float("nan")
    status = ""
    if method == "engine":
        proposal = form_groups(problem)
        groups = list(proposal.groups)
        bound = proposal.upper_bound
        status = str(proposal.status)
    elif method == "fcfs":
        groups = list(first_come_first_served(problem))
    else:
        from .baselines import constrained_kmeans

        groups = constrained_kmeans(problem, seed)
    seconds = time.monotonic() - started
    cpu_seconds = time.process_time() + _children_cpu() - cpu
    tree.stop()
    result: dict[str, Any] = measure(problem, groups)
    result.update(
        method=method,
        family=family,
        size=size,
        seed=seed,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        bound=bound,
        status=status,
        peak_mib=max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, tree.peak_mib),
    )
    return result


def _children_cpu() -> float:
    """CPU seconds of the worker processes that have ended (the engine forms the parts of a
    large pool in processes of its own, decision 0135)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _TreeMemory:
    """The peak of the resident memory of this process and its child processes together,
    read from ``/proc`` four times a second (``ru_maxrss`` is per process)."""

    def __init__(self) -> None:
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
        self._thread = threading.Thread(target=self._watch, daemon=True)
        if os.path.isdir("/proc"):
            self._thread.start()

    def _watch(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.25):
            pages = 0
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/stat", encoding="ascii") as handle:
                        fields = handle.read().rsplit(")", 1)[1].split()
                except (OSError, UnicodeDecodeError):
                    continue
                if int(entry.name) == me or int(fields[1]) == me:
                    pages += int(fields[21])
            self.peak_mib = max(self.peak_mib, pages * self._page / 2**20)

    def stop(self) -> None:
        self._stop.set()


def _spawn(
    method: str, family: str, size: int, seed: int, limit: float, workers: int
) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.formation", "--one"]
    command += [method, family, str(size), str(seed), str(limit), str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        return {"method": method, "family": family, "size": size, "seed": seed, "failed": True}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _gap(row: dict[str, Any]) -> float:
    return 1 - row["objective"] / row["bound"] if row["bound"] else 0.0


def per_seed(rows: list[dict[str, Any]]) -> list[str]:
    """One line per pool and seed: every method's figures side by side."""
    lines = [
        "| family | size | seed | method | objective | bound | gap | wall s | CPU s | peak MiB"
        " | placed | placed, longest-waiting quarter | fair | higher |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    keys = sorted({(r["family"], r["size"], r["seed"]) for r in rows})
    for family, size, seed in keys:
        here = {
            r["method"]: r
            for r in rows
            if (r["family"], r["size"], r["seed"]) == (family, size, seed) and not r.get("failed")
        }
        for method in METHODS:
            r = here.get(method)
            if r is None:
                continue
            fair = higher = ""
            if method == "engine" and "fcfs" in here:
                base = here["fcfs"]
                fair = (
                    "yes"
                    if r["placed"] >= base["placed"] - 1e-9
                    and r["placed_longest"] >= base["placed_longest"] - 1e-9
                    else "NO"
                )
                others = [here[m]["objective"] for m in ("fcfs", "kmeans") if m in here]
                higher = "yes" if all(r["objective"] > o for o in others) else "NO"
            engine = method == "engine"
            lines.append(
                "| "
                + " | ".join(
                    [
                        family,
                        str(size),
                        str(seed),
                        method,
                        f"{r['objective']:.1f}",
                        f"{r['bound']:.1f}" if engine else "",
                        f"{_gap(r):.1%}" if engine else "",
                        f"{r['seconds']:.1f}",
                        f"{r.get('cpu_seconds', float('nan')):.1f}",
                        f"{r['peak_mib']:.0f}",
                        f"{r['placed']:.1%}",
                        f"{r['placed_longest']:.1%}",
                        fair,
                        higher,
                    ]
                )
                + " |"
            )
    return lines


def report(rows: list[dict[str, Any]], command: str) -> str:
    def med(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    lines = [
        f"Command: `{command}`",
        "",
        "| family | size | seeds | method | objective | placed | mean h"
        " | placed, longest-waiting quarter | bound | gap | wall s | CPU s | peak MiB |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for family, size in sorted({(r["family"], r["size"]) for r in rows}):
        for method in METHODS:
            runs = [
                r
                for r in rows
                if (r["family"], r["size"], r["method"]) == (family, size, method)
                and not r.get("failed")
            ]
            if not runs:
                continue
            engine = method == "engine"
            cells = [
                family,
                str(size),
                str(len(runs)),
                method,
                f"{med([r['objective'] for r in runs]):.1f}",
                f"{med([r['placed'] for r in runs]):.1%}",
                f"{med([r['mean_h'] for r in runs]):.3f}",
                f"{med([r['placed_longest'] for r in runs]):.1%}",
                f"{med([r['bound'] for r in runs]):.1f}" if engine else "",
                f"{med([_gap(r) for r in runs]):.1%}" if engine else "",
                f"{med([r['seconds'] for r in runs]):.1f}",
                f"{med([r.get('cpu_seconds', float('nan')) for r in runs]):.1f}",
                f"{med([r['peak_mib'] for r in runs]):.0f}",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    invalid = sum(r.get("invalid", 0) for r in rows)
    failed = sum(1 for r in rows if r.get("failed"))
    statuses = sorted(
        {f"{r['family']} {r['size']}: {r['status']}" for r in rows if r.get("status")}
    )
    lines += ["", f"Rule violations found in all proposals: {invalid:.0f}; failed runs: {failed}."]
    lines += [f"Engine status: {', '.join(statuses)}.", "", "Per pool and seed:", ""]
    lines += per_seed(rows)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.formation")
    parser.add_argument(
        "--one", nargs=6, metavar=("METHOD", "FAMILY", "SIZE", "SEED", "LIMIT", "WORKERS")
    )
    parser.add_argument("--families", default="city", help=f"of {', '.join(FAMILIES)}")
    parser.add_argument("--sizes", default="30,200,1000,5000")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--seeds-for", default="", help="per-size seed counts, e.g. 5000:3")
    parser.add_argument("--limits", default="", help="per-size time limits, e.g. 5000:120")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (at most 2 here)")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--output", default="", help="write the markdown report here too")
    parser.add_argument("--json", default="", help="write the raw rows here")
    args = parser.parse_args(argv)
    if args.one:
        method, family, size, seed, limit, workers = args.one
        row = run_one(method, family, int(size), int(seed), float(limit), int(workers))
        print(json.dumps(row))
        return 0
    limits = dict(DEFAULT_LIMITS)
    for item in filter(None, args.limits.split(",")):
        key, value = item.split(":")
        limits[int(key)] = float(value)
    seed_counts = {}
    for item in filter(None, args.seeds_for.split(",")):
        key, value = item.split(":")
        seed_counts[int(key)] = int(value)
    rows: list[dict[str, Any]] = []
    for family in args.families.split(","):
        for size in [int(s) for s in args.sizes.split(",")]:
            count = seed_counts.get(size, args.seeds)
            for seed in range(args.first_seed, args.first_seed + count):
                for method in args.methods.split(","):
                    limit = limits.get(size, 60.0)
                    row = _spawn(method, family, size, seed, limit, args.workers)
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    command = "python -m benchmarks.formation " + " ".join(sys.argv[1:] if argv is None else argv)
    text = report(rows, command)
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
