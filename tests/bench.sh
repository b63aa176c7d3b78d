#!/usr/bin/env bash
# How much uv.mk costs make at parse time. Medians of N runs, each against a baseline run in the
# same go: a bare Makefile with one phony target (what make costs anyway).
# Usage: tests/bench.sh [N]   (default 40)
set -eu
n=${1:-40}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$root/tests/fixtures/app/." "$work/"
printf 'all:\n\t@:\n' >"$work/Makefile.bare"

python3 - "$work" "$root/uv.mk" "$n" <<'PY'
import os, statistics, subprocess, sys, time
work, uvmk, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
env = dict(os.environ, UVMK=uvmk)
cases = {
    "baseline: make -f Makefile.bare": ["make", "-s", "-f", "Makefile.bare"],
    "make help": ["make", "-s", "help"],
    "make -n install": ["make", "-s", "-n", "install"],
    "make -n test lint type-check": ["make", "-s", "-n", "test", "lint", "type-check"],
    "make print-SRC": ["make", "-s", "print-SRC"],
}
times = {name: [] for name in cases}
for _ in range(n):  # interleaved, so load on the machine hits every case alike
    for name, argv in cases.items():
        t0 = time.perf_counter()
        subprocess.run(argv, cwd=work, env=env, stdout=subprocess.DEVNULL, check=True)
        times[name].append(time.perf_counter() - t0)
base = statistics.median(times["baseline: make -f Makefile.bare"])
print(f"{'case':34} {'median':>9} {'vs baseline':>12}   (n={n})")
for name, ts in times.items():
    med = statistics.median(ts)
    print(f"{name:34} {med * 1000:7.2f} ms {med / base:11.2f}x")
PY
