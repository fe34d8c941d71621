"""Lighthouse on the built site, served compressed: mobile performance per page kind, median of runs.

    make lighthouse            (installs Lighthouse 12.2.3 from benchmarks/lighthouse/package-lock.json)
    .venv/bin/python -m benchmarks.lighthouse [SITE] [--runs 3] [--target 95]

Lighthouse's default mobile profile (a mid-range phone, simulated slow 4G) on Debian's
Chromium, against the site on a loopback server that gzips as GitHub Pages does. Prints each
page kind's median performance score and its median metrics; exits 1 if a median is below
--target. Measured, not tested: scores move with the machine, so no test asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.pageweight import CHROMIUM, page_paths, serve_compressed

KINDS = ("home", "topic", "source", "entity", "disagreements", "timeline")
METRICS = {
    "first-contentful-paint": "FCP s",
    "largest-contentful-paint": "LCP s",
    "total-blocking-time": "TBT ms",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI s",
}
TOOLS = Path(__file__).resolve().parent / "lighthouse"  # benchmarks/lighthouse/: package.json and its lock


def lighthouse_binary() -> Path:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        sys.exit(f"Lighthouse is not installed: run `make lighthouse` (npm ci in {TOOLS})")
    return binary


def run_once(url: str) -> dict:
    """One Lighthouse run's performance score (0-100) and metrics."""
    result = subprocess.run(
        [
            str(lighthouse_binary()),
            url,
            "--only-categories=performance",
            "--output=json",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    report = json.loads(result.stdout)
    audits = report["audits"]
    values = {name: audits[name]["numericValue"] for name in METRICS}
    return {"score": round(report["categories"]["performance"]["score"] * 100), **values}


def measure(site: Path, runs: int) -> dict[str, dict]:
    """Each page kind's medians over `runs` runs."""
    paths = page_paths(site)
    medians = {}
    with serve_compressed(site) as base:
        for kind in KINDS:
            results = [run_once(base + paths[kind]) for _ in range(runs)]
            medians[kind] = {key: statistics.median(r[key] for r in results) for key in results[0]}
            medians[kind]["scores"] = [r["score"] for r in results]
    return medians


def _shown(name: str, value: float) -> str:
    if name == "cumulative-layout-shift":
        return f"{value:.3f}"
    if name == "total-blocking-time":
        return f"{value:.0f}"
    return f"{value / 1000:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--target", type=int, default=95)
    args = parser.parse_args()
    medians = measure(args.site, args.runs)
    header = f"| page | median score | scores | {' | '.join(METRICS.values())} |"
    print(header)
    print("|" + "---|" * (3 + len(METRICS)))
    for kind, m in medians.items():
        metrics = " | ".join(_shown(name, m[name]) for name in METRICS)
        print(f"| {kind} | {m['score']:.0f} | {', '.join(map(str, m['scores']))} | {metrics} |")
    low = [kind for kind, m in medians.items() if m["score"] < args.target]
    if low:
        print(f"below {args.target}: {', '.join(low)}")
    return 1 if low else 0


if __name__ == "__main__":
    raise SystemExit(main())
