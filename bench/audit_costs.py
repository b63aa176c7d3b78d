#!/usr/bin/env python3
"""Where `make uv-migrate-audit` spends its time: the same audit peeled layer by layer (make, uv
run, the script's imports, Python start-up), each layer timed interleaved with the others.
With and without byte-code caching: PYTHONDONTWRITEBYTECODE=1 makes Python compile every
module of the engine from source on every run.

Usage: bench/audit_costs.py [REPO] [--runs N]   (REPO: a copy of examples/k2-legacy by default)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from repos import k2_copy, real_executables  # noqa: E402


def script_python(env: dict[str, str]) -> str:
    """The interpreter of the helper's own environment (uv run --script makes it)."""
    helper = str(ROOT / "scripts" / "uvmk_migrate.py")
    subprocess.run(["uv", "run", "--quiet", "--script", helper, "--help"], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    out = subprocess.run(["uv", "python", "find", "--script", helper], env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="uvmk-audit-costs-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
        bin_dir = real_executables(Path(tmp) / "bin")
        kept = [p for p in env["PATH"].split(os.pathsep) if ".pyenv" not in p]
        env["PATH"] = os.pathsep.join([str(bin_dir), *kept])
        repo = args.repo.resolve() if args.repo else k2_copy(Path(tmp) / "k2", ROOT, git=True)
        python = script_python(env)
        helper = str(ROOT / "scripts" / "uvmk_migrate.py")
        audit = ["audit", "--uv-mk", str(ROOT / "uv.mk")]
        imports = f"import sys; sys.path.insert(0, {str(ROOT / 'scripts')!r}); import uvmk.cli"
        make_audit = ["make", "-s", "-f", str(ROOT / "uv.mk"), "uv-migrate-audit"]
        layers = {
            "make -f uv.mk uv-migrate-audit": make_audit,
            "uv run --script uvmk_migrate.py audit": ["uv", "run", "-q", "--script", helper, *audit],  # noqa: E501
            "python uvmk_migrate.py audit (no uv run)": [python, helper, *audit],
            "python -c 'import uvmk.cli' (imports only)": [python, "-c", imports],
            "python -c pass (start-up)": [python, "-c", "pass"],
        }  # fmt: skip
        # PYTHONPYCACHEPREFIX: .pyc files go to (and are looked up in) a folder of ours, so the
        # first variant finds none, whatever __pycache__ folders the checkout already has.
        never = str(Path(tmp) / "pyc-never-written")
        cached = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        variants = {
            "no .pyc (PYTHONDONTWRITEBYTECODE=1)": dict(
                env, PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=never
            ),
            ".pyc cached": dict(cached, PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc")),
        }
        for argv in layers.values():  # once each, so that the .pyc files exist
            subprocess.run(argv, cwd=repo, env=variants[".pyc cached"], capture_output=True)
        times: dict[tuple[str, str], list[float]] = {}
        for i in range(args.runs):
            for variant, venv in variants.items():
                for name, argv in layers.items() if i % 2 == 0 else reversed(layers.items()):
                    t0 = time.perf_counter()
                    subprocess.run(argv, cwd=repo, env=venv, capture_output=True)
                    times.setdefault((variant, name), []).append(time.perf_counter() - t0)
    print(f"{'layer':46} {'median':>9} {'min':>9}   (n={args.runs}, {repo.name})")
    for variant in variants:
        print(variant)
        for name in layers:
            t = times[(variant, name)]
            print(f"  {name:44} {statistics.median(t) * 1000:6.0f} ms {min(t) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
