#!/usr/bin/env python3
"""uv.mk's benchmark: every row of the speed table, each case paired with its reference and run
interleaved (A, B, A, B…), so a load spike on the machine hits both alike. Prints median, min and
max per case and the ratio of medians per row; --format json for the same as data.

Timer: hyperfine (Debian package `hyperfine`) when it is on PATH, one run per call, so the
interleaving stays ours; else time.perf_counter around subprocess.run. Standard library only.

Usage: bench/bench.py [--rows parse,help,...] [--runs-scale 0.5] [--format table|json|markdown]
                      [--json-out FILE] [--chart FILE.png] [--against OTHER_CHECKOUT]
                      [--timer auto|python|hyperfine] [--from-json FILE]
--against times the uv.mk side of every row with another checkout's uv.mk and scripts/ too, in
the same rounds: before and after a change, on the same machine in the same go.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from repos import (  # noqa: E402
    generated_repo,
    k2_copy,
    k2_host_makefiles,
    migrated_k2,
    real_executables,
    synced_app,
)


@dataclass
class Case:
    """One command, run in cwd with env; setup (untimed) runs before each timed run."""

    label: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    setup: Callable[[], None] | None = None
    times: list[float] = field(default_factory=list)


@dataclass
class Row:
    key: str
    title: str
    goal: str
    runs: int
    # cases[0] is the subject; the ratio of every other case is subject / that case
    cases: list[Case]
    # the other checkout's subject, when --against is given
    before: Case | None = None
    # the goal is a speed-up: show reference / subject ("50x faster") instead
    speedup: bool = False


def timer(kind: str) -> Callable[[Case], float]:
    if kind == "auto":
        kind = "hyperfine" if shutil.which("hyperfine") else "python"
    if kind == "hyperfine":
        return hyperfine_once
    return python_once


def python_once(case: Case) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        case.argv, cwd=case.cwd, env=case.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - t0


def hyperfine_once(case: Case) -> float:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                "hyperfine",
                "-N",
                "-i",
                "--runs",
                "1",
                "--style",
                "none",
                "--export-json",
                out.name,
                "--",
                " ".join(shell_quote(a) for a in case.argv),
            ],
            cwd=case.cwd,
            env=case.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        return float(json.loads(Path(out.name).read_text())["results"][0]["mean"])


def shell_quote(word: str) -> str:
    return word if word and all(c.isalnum() or c in "-_./=:,+%@" for c in word) else repr(word)


def measure(rows: list[Row], once: Callable[[Case], float]) -> None:
    for row in rows:
        cases = [*row.cases, *([row.before] if row.before else [])]
        for case in cases:  # one untimed run each: caches and script environments are warm
            if case.setup:
                case.setup()
            python_once(case)
        for i in range(row.runs):
            # alternate the order too: no case always runs right after the same one
            for case in cases if i % 2 == 0 else reversed(cases):
                if case.setup:
                    case.setup()
                case.times.append(once(case))
        print(f"  measured: {row.title}", file=sys.stderr)


def summary(rows: list[Row]) -> dict[str, object]:
    out = []
    for row in rows:
        subject = statistics.median(row.cases[0].times)
        cases = []
        for case in [*row.cases, *([row.before] if row.before else [])]:
            med = statistics.median(case.times)
            cases.append(
                {
                    "label": case.label,
                    "command": " ".join(case.argv),
                    "median_s": med,
                    "min_s": min(case.times),
                    "max_s": max(case.times),
                    "runs": len(case.times),
                    "ratio": None
                    if case is row.cases[0]
                    else (med / subject if row.speedup else subject / med),
                }
            )
        out.append(
            {
                "key": row.key,
                "title": row.title,
                "goal": row.goal,
                "speedup": row.speedup,
                "cases": cases,
            }
        )
    return {"machine": machine(), "rows": out}


def machine() -> dict[str, object]:
    uv = subprocess.run(["uv", "--version"], capture_output=True, text=True).stdout.strip()
    make = subprocess.run(["make", "--version"], capture_output=True, text=True).stdout
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "uv": uv,
        "make": make.splitlines()[0] if make else "",
        "load_average": os.getloadavg(),
    }


def fmt_time(s: float) -> str:
    return f"{s * 1000:8.1f} ms" if s < 1 else f"{s:8.2f} s "


def print_table(result: dict[str, object]) -> None:
    print(f"{'row / case':58} {'median':>11} {'min':>11} {'max':>11} {'n':>3}  ratio")
    for row in result["rows"]:  # type: ignore[attr-defined]
        print(f"{row['title']}   (goal: {row['goal']})")
        for c in row["cases"]:
            ratio = f"{c['ratio']:.2f}x" if c["ratio"] is not None else ""
            print(
                f"  {c['label'][:56]:56} {fmt_time(c['median_s'])} {fmt_time(c['min_s'])} "
                f"{fmt_time(c['max_s'])} {c['runs']:3}  {ratio}"
            )
    m = result["machine"]
    print(f"\nmachine: {m['cpus']} cpus, {m['platform']}, {m['uv']}, {m['make']}")  # type: ignore[index]


@dataclass
class Ctx:
    """What every row needs: where to work, the two checkouts, the environments, the run count."""

    work: Path
    root: Path
    against: Path | None
    env: dict[str, str]
    no_pyenv: dict[str, str]
    bin_dir: Path
    scale: float

    def runs(self, n: int) -> int:
        return max(3, round(n * self.scale))

    def sides(self, make_case: Callable[[Path, str], Case]) -> tuple[Case, Case | None]:
        """The uv.mk case for this checkout, and for the --against one."""
        before = make_case(self.against, "before") if self.against else None
        return make_case(self.root, "uv.mk"), before


def make_f(base: Path, *goal: str) -> list[str]:
    return ["make", "-s", "-f", str(base / "uv.mk"), *goal]


def audit_goal(base: Path) -> str:
    """The migration audit's target: uv-migrate-audit (uv-audit is its deprecated alias, which
    prints a warning first), or uv-audit in a checkout from before the rename (--against)."""
    text = (base / "uv.mk").read_text(encoding="utf-8")
    return "uv-migrate-audit" if "\nuv-migrate-audit:" in text else "uv-audit"


def row_parse(c: Ctx) -> Row:
    hosts = {
        base: k2_host_makefiles(c.work / f"parse-{i}", base) for i, base in enumerate(bases(c))
    }
    h = hosts[c.root]
    subject, before = c.sides(
        lambda base, label: Case(
            f"{label}: make -n all, K2 Makefile with the include",
            ["make", "-s", "-n", "-f", h.with_include.name, "all"],
            hosts[base].dir,
            c.env,
        )
    )
    reference = Case(
        "the same K2 Makefile without it",
        ["make", "-s", "-n", "-f", h.without.name, "all"],
        h.dir,
        c.env,
    )
    return Row(
        "parse",
        "make -n all: with the include vs without",
        "<= 1.3x",
        c.runs(40),
        [subject, reference],
        before,
    )


def row_help(c: Ctx) -> Row:
    hosts = {base: k2_host_makefiles(c.work / f"help-{i}", base) for i, base in enumerate(bases(c))}
    h = hosts[c.root]
    subject, before = c.sides(
        lambda base, label: Case(
            f"{label}: make help",
            ["make", "-s", "-f", h.with_include.name, "help"],
            hosts[base].dir,
            c.env,
        )
    )
    reference = Case(
        "K2's own help (grep | awk)", ["make", "-s", "-f", h.without.name, "help"], h.dir, c.env
    )
    return Row(
        "help",
        "make help, uv.mk's vs K2's own",
        "<= 10 ms",
        c.runs(40),
        [subject, reference],
        before,
    )


def row_install(c: Ctx) -> Row:
    apps = {base: synced_app(c.work / f"app-{i}", base) for i, base in enumerate(bases(c))}
    subject, before = c.sides(
        lambda base, label: Case(
            f"{label}: make install (in sync)",
            ["make", "-s", "install"],
            apps[base],
            dict(c.env, UVMK=str(base / "uv.mk")),
        )
    )
    argv = ["uv", "sync", "--quiet", "--no-default-groups"]
    reference = Case("uv sync --no-default-groups", argv, apps[c.root], c.env)
    return Row(
        "install",
        "make install in sync vs uv sync",
        "<= 1.2x",
        c.runs(40),
        [subject, reference],
        before,
    )


def row_dev_install(c: Ctx) -> Row:
    def fresh(base: Path, label: str) -> Case:
        repo = migrated_k2(c.work / f"k2-migrated-{label}", base, c.env)
        return Case(
            f"{label}: make dev-install (migrated K2, fresh .venv)",
            ["make", "-s", "dev-install"],
            repo,
            c.env,
            setup=lambda: shutil.rmtree(repo / ".venv", ignore_errors=True),
        )

    subject, before = c.sides(fresh)
    legacy = k2_copy(c.work / "k2-legacy-pip", c.root)
    reference = Case(
        "legacy K2: make dev-install (python3 -m venv + pip)",
        ["make", "-s", "dev-install", "PYTHON=python3"],
        legacy,
        c.env,
        setup=lambda: shutil.rmtree(legacy / ".venv", ignore_errors=True),
    )
    title = "make dev-install, fresh .venv, warm cache vs the legacy pip Makefile"
    return Row(
        "dev-install", title, "uv.mk >= 50x faster", c.runs(3), [subject, reference], before, True
    )


def row_audit_pyenv(c: Ctx) -> Row | None:
    shims = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "shims"
    if not shims.is_dir():
        print(f"  no pyenv shims at {shims}: the pyenv row is left out", file=sys.stderr)
        return None
    k2 = k2_copy(c.work / "k2-audit-pyenv", c.root, git=True)
    path = os.pathsep.join([str(c.bin_dir), str(shims), c.no_pyenv["PATH"]])
    with_shims = dict(c.no_pyenv, PATH=path)
    subject, before = c.sides(
        lambda base, label: Case(
            f"{label}: make uv-migrate-audit, pyenv shims on PATH",
            make_f(base, audit_goal(base)),
            k2,
            with_shims,
        )
    )
    reference = Case(
        "uv.mk: the same, PATH without pyenv", make_f(c.root, audit_goal(c.root)), k2, c.no_pyenv
    )
    title = "make uv-migrate-audit on K2, pyenv shims on PATH vs without"
    return Row("audit-pyenv", title, "<= 0.2 s", c.runs(10), [subject, reference], before)


def row_audit(c: Ctx) -> Row:
    k2 = k2_copy(c.work / "k2-audit", c.root, git=True)
    subject, before = c.sides(
        lambda base, label: Case(
            f"{label}: make uv-migrate-audit on K2", make_f(base, audit_goal(base)), k2, c.no_pyenv
        )
    )
    # what any uv-run Python tool pays: uv run's environment check plus Python start-up
    empty = ["uv", "run", "--quiet", "--script", str(empty_script(c.work))]
    floor = Case("floor: uv run --script, an empty script, same deps", empty, k2, c.no_pyenv)
    return Row(
        "audit",
        "make uv-migrate-audit on K2, PATH without pyenv (ratio: vs the floor)",
        "<= 0.2 s, <= 4x the floor",
        c.runs(10),
        [subject, floor],
        before,
    )


def row_audit_no_bytecode(c: Ctx) -> Row:
    """The audit where the host says PYTHONDONTWRITEBYTECODE=1 (the python Docker images, many
    CI images), against the floor under the same setting: the engine keeps byte-code of its own
    anyway (in XDG_CACHE_HOME/uv-mk/pycache, here a folder of the bench's). uv keeps its cache."""
    k2 = k2_copy(c.work / "k2-audit-nobc", c.root, git=True)
    env = {k: v for k, v in c.no_pyenv.items() if k != "PYTHONPYCACHEPREFIX"}
    uv_cache = subprocess.run(["uv", "cache", "dir"], capture_output=True, text=True, env=env)
    env.update(
        PYTHONDONTWRITEBYTECODE="1",
        XDG_CACHE_HOME=str(c.work / "xdg-cache"),
        UV_CACHE_DIR=uv_cache.stdout.strip(),
    )
    subject, before = c.sides(
        lambda base, label: Case(
            f"{label}: make uv-migrate-audit on K2, PYTHONDONTWRITEBYTECODE=1",
            make_f(base, audit_goal(base)),
            k2,
            env,
        )
    )
    empty = ["uv", "run", "--quiet", "--script", str(empty_script(c.work))]
    floor = Case("floor: the empty script, PYTHONDONTWRITEBYTECODE=1", empty, k2, env)
    title = "make uv-migrate-audit on K2, PYTHONDONTWRITEBYTECODE=1 (ratio: vs the floor)"
    return Row("audit-no-bytecode", title, "<= 4x the floor", c.runs(10), [subject, floor], before)


def row_audit_scaling(c: Ctx) -> Row:
    cases = [
        Case(
            f"uv.mk: uv-migrate-audit, {k} requirements files",
            make_f(c.root, audit_goal(c.root)),
            generated_repo(c.work / f"gen-{k}", k),
            c.no_pyenv,
        )
        for k in (200, 100, 50)
    ]
    before = None
    if c.against:
        before = Case(
            "before: uv-migrate-audit, 200 requirements files",
            make_f(c.against, audit_goal(c.against)),
            cases[0].cwd,
            c.no_pyenv,
        )
    title = "make uv-migrate-audit, 200 / 100 / 50 requirements files (ratio: 200 files vs k)"
    return Row("audit-scaling", title, "200 files <= 1 s, linear", c.runs(6), cases, before)


def row_migrate(c: Ctx) -> Row:
    def apply(base: Path, label: str) -> Case:
        repo = c.work / f"k2-apply-{label}"
        return Case(
            f"{label}: make uv-migrate APPLY=1 OVERRIDE_PINS=1 (fresh K2 copy)",
            make_f(base, "uv-migrate", "APPLY=1", "OVERRIDE_PINS=1"),
            repo,
            c.env,
            setup=lambda: fresh_k2(repo, c.root),
        )

    subject, before = c.sides(apply)
    for case in (subject, before):
        if case:
            case.cwd.mkdir(parents=True, exist_ok=True)
    locked = migrated_k2(c.work / "k2-lock-only", c.root, c.env)
    reference = Case(
        "uv lock (the migrated K2, without its uv.lock)",
        ["uv", "lock", "--quiet"],
        locked,
        c.env,
        setup=lambda: (locked / "uv.lock").unlink(missing_ok=True),
    )
    title = "make uv-migrate APPLY=1 (lock, warm cache) vs bare uv lock"
    return Row("migrate", title, "<= 3 s", c.runs(4), [subject, reference], before)


ROWS: dict[str, Callable[[Ctx], Row | None]] = {
    "parse": row_parse,
    "help": row_help,
    "install": row_install,
    "dev-install": row_dev_install,
    "audit-pyenv": row_audit_pyenv,
    "audit": row_audit,
    "audit-no-bytecode": row_audit_no_bytecode,
    "audit-scaling": row_audit_scaling,
    "migrate": row_migrate,
}


def fresh_k2(repo: Path, root: Path) -> None:
    k2_copy(repo, root, git=True)


def bases(c: Ctx) -> list[Path]:
    return [c.root, *([c.against] if c.against else [])]


def empty_script(work: Path) -> Path:
    script = work / "empty.py"
    deps = '["tomlkit>=0.13", "packaging>=24", "pip-requirements-parser>=32.0.1"]'
    script.write_text(
        f'# /// script\n# requires-python = ">=3.10"\n# dependencies = {deps}\n# ///\n'
    )
    return script


def print_markdown(result: dict[str, Any]) -> None:
    """The table docs/benchmarks.md shows: one line per case, times as median (min-max)."""
    print("| row | goal | case | median (min-max), n | ratio |")
    print("|---|---|---|---|---|")
    for row in result["rows"]:
        for i, c in enumerate(row["cases"]):
            ratio = "" if c["ratio"] is None else f"{c['ratio']:.2f}x"
            spread = (
                f"{short(c['median_s'])} ({short(c['min_s'])}-{short(c['max_s'])}), {c['runs']}"
            )
            head = (row["title"], row["goal"]) if i == 0 else ("", "")
            cells = [head[0], head[1], c["label"], spread, ratio]
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")


def short(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def build_rows(
    work: Path, root: Path, against: Path | None, scale: float, wanted: list[str]
) -> list[Row]:
    env = dict(os.environ)
    for var in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VIRTUAL_ENV", "CI", "UV_FROZEN", "UV_LOCKED"):
        env.pop(var, None)
    bin_dir = real_executables(work / "bin")
    # Every row but the pyenv one runs with no version manager on PATH: what is timed is uv.mk.
    kept = [p for p in env["PATH"].split(os.pathsep) if ".pyenv" not in p and "/.asdf/" not in p]
    env["PATH"] = os.pathsep.join([str(bin_dir), *kept])
    # Byte-code as on a usual machine (cached after the first run), for both checkouts alike,
    # in a folder of the bench's own: a PYTHONDONTWRITEBYTECODE=1 machine (some containers)
    # would otherwise compile the engine from source on every run (bench/audit_costs.py).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # K2's Makefile evidences Python 3.13: with downloads allowed, uv-migrate pins it and the lock
    # fetches it, which a machine without a network cannot (the demo does the same; override it).
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    c = Ctx(work, root, against, env, env, bin_dir, scale)
    rows = []
    for key in wanted or ROWS:
        print(f"  preparing: {key}", file=sys.stderr)
        row = ROWS[key](c)
        if row:
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", help="comma-separated row keys (default: all)")
    parser.add_argument("--runs-scale", type=float, default=1.0)
    parser.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--chart", type=Path, help="also draw the PNG (bench/chart.py, matplotlib)")
    parser.add_argument("--against", type=Path)
    parser.add_argument("--from-json", type=Path, help="print an earlier run's JSON; time nothing")
    parser.add_argument("--timer", choices=["auto", "python", "hyperfine"], default="auto")
    args = parser.parse_args()
    wanted = args.rows.split(",") if args.rows else []
    unknown = [k for k in wanted if k not in ROWS]
    if unknown:
        parser.error(f"unknown rows {unknown}: choose from {', '.join(ROWS)}")
    if args.from_json:
        result = json.loads(args.from_json.read_text())
    else:
        result = run(wanted, args.against.resolve() if args.against else None, args)
    if args.format == "json":
        print(json.dumps(result, indent=2))
    elif args.format == "markdown":
        print_markdown(result)
    else:
        print_table(result)


def run(wanted: list[str], against: Path | None, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="uvmk-bench-") as tmp:
        print("preparing the repos (untimed)…", file=sys.stderr)
        rows = build_rows(Path(tmp), ROOT, against, args.runs_scale, wanted)
        measure(rows, timer(args.timer))
    result = summary(rows)
    result["timer"] = "hyperfine" if timer(args.timer) is hyperfine_once else "python"
    if args.json_out or args.chart:
        out = args.json_out or args.chart.with_suffix(".json")
        out.write_text(json.dumps(result, indent=2) + "\n")
        if args.chart:
            chart = ["uv", "run", "--quiet", "--script", str(HERE / "chart.py")]
            subprocess.run([*chart, str(out), str(args.chart)], check=True)
    return result


if __name__ == "__main__":
    main()
