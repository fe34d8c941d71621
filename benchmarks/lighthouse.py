"""Lighthouse on the built site, served compressed: all four categories per page kind, median of runs.

    make lighthouse            (installs Lighthouse 12.2.3 from benchmarks/lighthouse/package-lock.json)
    .venv/bin/python -m benchmarks.lighthouse [SITE] [--runs 3] [--target 95]

Lighthouse's default mobile profile (a mid-range phone, simulated slow 4G) on Debian's
Chromium, against the site on a loopback server that gzips as GitHub Pages does. Prints each
page kind's (search: the home page opened with ?q=) median scores in performance,
accessibility, best practices and SEO, and the median performance metrics; exits 1 if a
median performance score is below --target or a median accessibility score below 100. Measured, not tested: scores move with the machine, so no test asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.pageweight import CHROMIUM, PAGE_KINDS, page_paths, serve_compressed

KINDS = (*PAGE_KINDS, "search")
SEARCH = "?q=funding"  # the search page kind: the home page with its search open on a query
CATEGORIES = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "SEO"}
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
    """One Lighthouse run's category scores (0-100) and performance metrics."""
    result = subprocess.run(
        [
            str(lighthouse_binary()),
            url,
            "--only-categories=" + ",".join(CATEGORIES),
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
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    return {"score": scores["performance"], **scores, **values}


def measure(site: Path, runs: int) -> dict[str, dict]:
    """Each page kind's medians over `runs` runs."""
    paths = page_paths(site)
    medians = {}
    with serve_compressed(site) as base:
        for kind in KINDS:
            address = base + (paths["home"] + SEARCH if kind == "search" else paths[kind])
            results = [run_once(address) for _ in range(runs)]
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
    header = f"| page | {' | '.join(CATEGORIES.values())} | perf. runs | {' | '.join(METRICS.values())} |"
    print(header)
    print("|" + "---|" * (2 + len(CATEGORIES) + len(METRICS)))
    for kind, m in medians.items():
        categories = " | ".join(f"{m[name]:.0f}" for name in CATEGORIES)
        metrics = " | ".join(_shown(name, m[name]) for name in METRICS)
        print(f"| {kind} | {categories} | {', '.join(map(str, m['scores']))} | {metrics} |")
    low = [kind for kind, m in medians.items() if m["score"] < args.target]
    if low:
        print(f"performance below {args.target}: {', '.join(low)}")
    inaccessible = [kind for kind, m in medians.items() if m["accessibility"] < 100]
    if inaccessible:
        print(f"accessibility below 100: {', '.join(inaccessible)}")
    return 1 if low or inaccessible else 0


if __name__ == "__main__":
    raise SystemExit(main())
