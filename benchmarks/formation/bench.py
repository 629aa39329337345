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
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

from kretsen.matching.engine import (
    Group,
    Problem,
    check_proposal,
    first_come_first_served,
    form_groups,
    objective,
    person_h,
)

from .synthetic import make_pool

DEFAULT_LIMITS = {30: 10.0, 200: 30.0, 1000: 60.0, 5000: 300.0}
METHODS = ("engine", "fcfs", "kmeans")


def measure(problem: Problem, groups: list[Group]) -> dict[str, float]:
    placed = {m for g in groups for m in g.members}
    people = problem.people
    longest = sorted(people, key=lambda p: (-p.days_waiting, p.id))[: max(1, len(people) // 4)]
    hs = [person_h(m, g.members, problem) for g in groups for m in g.members]
    return {
        "objective": objective(problem, groups),
        "placed": len(placed) / max(1, len(people)),
        "mean_h": sum(hs) / len(hs) if hs else 0.0,
        "placed_longest": sum(p.id in placed for p in longest) / len(longest),
        "invalid": float(len(check_proposal(groups, problem))),
    }


def run_one(method: str, size: int, seed: int, limit: float, workers: int) -> dict[str, Any]:
    problem = make_pool(size, seed, time_limit=limit, num_workers=workers)
    started = time.monotonic()
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
    result: dict[str, Any] = measure(problem, groups)
    result.update(
        method=method,
        size=size,
        seed=seed,
        seconds=seconds,
        bound=bound,
        status=status,
        peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return result


def _spawn(method: str, size: int, seed: int, limit: float, workers: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.formation", "--one"]
    command += [method, str(size), str(seed), str(limit), str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        return {"method": method, "size": size, "seed": seed, "failed": True}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(rows: list[dict[str, Any]], command: str) -> str:
    def med(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    lines = [
        f"Command: `{command}`",
        "",
        "| size | seeds | method | objective | placed | mean h | placed, longest-waiting quarter"
        " | bound | gap | wall s | peak MiB | ratio to FCFS | ratio to k-means |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sizes = sorted({r["size"] for r in rows})
    for size in sizes:
        by = {
            m: {r["seed"]: r for r in rows if r["size"] == size and r["method"] == m}
            for m in METHODS
        }
        seeds = sorted(by["engine"])
        for method in METHODS:
            runs = [r for r in by[method].values() if not r.get("failed")]
            if not runs:
                continue
            cells = [
                str(size),
                str(len(runs)),
                method,
                f"{med([r['objective'] for r in runs]):.1f}",
                f"{med([r['placed'] for r in runs]):.1%}",
                f"{med([r['mean_h'] for r in runs]):.3f}",
                f"{med([r['placed_longest'] for r in runs]):.1%}",
            ]
            if method == "engine":
                gaps = [1 - r["objective"] / r["bound"] if r["bound"] else 0.0 for r in runs]
                cells += [f"{med([r['bound'] for r in runs]):.1f}", f"{med(gaps):.1%}"]
            else:
                cells += ["", ""]
            cells += [
                f"{med([r['seconds'] for r in runs]):.1f}",
                f"{med([r['peak_mib'] for r in runs]):.0f}",
            ]
            if method == "engine":
                for base in ("fcfs", "kmeans"):
                    ratios = [
                        by["engine"][s]["objective"] / by[base][s]["objective"]
                        for s in seeds
                        if s in by[base]
                        and not by[base][s].get("failed")
                        and by[base][s]["objective"] > 0
                    ]
                    higher = sum(r > 1 for r in ratios)
                    cells.append(f"{med(ratios):.3f} ({higher}/{len(ratios)} higher)")
            else:
                cells += ["", ""]
            lines.append("| " + " | ".join(cells) + " |")
    invalid = sum(r.get("invalid", 0) for r in rows)
    statuses = sorted({f"{r['size']}:{r['status']}" for r in rows if r.get("status")})
    lines += ["", f"Rule violations found in all proposals: {invalid:.0f}."]
    lines += [f"Engine status per size: {', '.join(statuses)}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.formation")
    parser.add_argument("--one", nargs=5, metavar=("METHOD", "SIZE", "SEED", "LIMIT", "WORKERS"))
    parser.add_argument("--sizes", default="30,200,1000,5000")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--seeds-for", default="", help="per-size seed counts, e.g. 5000:3")
    parser.add_argument("--limits", default="", help="per-size time limits, e.g. 5000:120")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (at most 2 here)")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--output", default="", help="write the markdown report here too")
    parser.add_argument("--json", default="", help="write the raw rows here")
    args = parser.parse_args(argv)
    if args.one:
        method, size, seed, limit, workers = args.one
        row = run_one(method, int(size), int(seed), float(limit), int(workers))
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
    for size in [int(s) for s in args.sizes.split(",")]:
        for seed in range(seed_counts.get(size, args.seeds)):
            for method in args.methods.split(","):
                row = _spawn(method, size, seed, limits.get(size, 60.0), args.workers)
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
