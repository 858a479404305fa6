#!/usr/bin/env bash
# Scaling benchmark: the hostile-input shapes that used to be quadratic, at sizes n, 2n, 4n and
# 8n, timed with hyperfine on the release binary. A linear path roughly doubles per step; a
# quadratic one quadruples. Prints one line per size and the ratio to the size before.
#
#   scripts/bench-scaling.sh [PORTFOLIO…]   # needs hyperfine (apt-get install hyperfine)
#
# Extra portfolio folders given as arguments get the peak-memory line too (for example the
# 1,000-program one of `milepost-synth --programs 1000 --out /tmp/p1000`).
#
# Shapes (each inside the 16 MiB per-file cap):
#   keys    one mapping with n unknown keys                  (check)
#   schema  n milestones with an invalid duration each      (check)
#   refs    one milestone depending on n unknown ids        (check; "did you mean" for each)
#   chain   a chain of n milestones                          (render summary)
#   flow    a flow list of n tiny scalars                    (check; peak memory per MB too)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --locked -p milepost >/dev/null
bin="$PWD/target/release/milepost"
work="$(mktemp -d /tmp/milepost-scaling.XXXXXX)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import os, sys
root = sys.argv[1]
def portfolio(name, milestones):
    d = f"{root}/{name}"
    os.makedirs(f"{d}/programs/alpha", exist_ok=True)
    open(f"{d}/milepost.yaml", "w").write("name: scaling\n")
    open(f"{d}/people.yaml", "w").write("people:\n  - id: ada\n    name: Ada\n")
    open(f"{d}/programs/alpha/program.yaml", "w").write("name: Alpha\nowner: ada\n")
    open(f"{d}/programs/alpha/milestones.yaml", "w").write("milestones:\n" + milestones)
for step in range(4):
    n = 10000 * 2 ** step
    portfolio(f"keys-{n}", "  - id: M1\n    title: t\n    owner: ada\n" + "".join(f"    k{i}: x\n" for i in range(n)))
    portfolio(f"schema-{n}", "".join(f"  - id: M{i}\n    title: t\n    duration: bad\n" for i in range(n)))
    r = n // 5
    portfolio(f"refs-{r}", "  - id: M0\n    title: t\n    duration: 1d\n    depends_on: [" + ", ".join(f"X{i}" for i in range(r)) + "]\n"
              + "".join(f"  - id: M{i}\n    title: t\n    duration: 1d\n" for i in range(1, r)))
    c = n // 4
    portfolio(f"chain-{c}", "  - id: M0\n    title: t\n    duration: 1d\n" + "".join(
        f"  - id: M{i}\n    title: t\n    duration: 1d\n    depends_on: [M{i-1}]\n" for i in range(1, c)))
    f = 250000 * 2 ** step
    portfolio(f"flow-{f}", "  - id: M1\n    title: t\n    deliverables: [" + ",".join("x" for _ in range(f)) + "]\n")
PY

run() {
    local shape="$1"; shift
    local prev=""
    for dir in $(ls -d "$work/$shape"-* | sort -t- -k3 -n); do
        local n="${dir##*-}"
        local mean
        # -i: a portfolio full of mistakes exits 1, as it should.
        hyperfine -N -i -w 1 -r 5 --export-json "$work/t.json" "$bin $* $dir" >/dev/null 2>&1
        mean=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$work/t.json")
        if [ -n "$prev" ]; then
            printf '%-7s n=%-8s %8.3f s   x%.2f\n' "$shape" "$n" "$mean" "$(python3 -c "print($mean/$prev)")"
        else
            printf '%-7s n=%-8s %8.3f s\n' "$shape" "$n" "$mean"
        fi
        prev="$mean"
    done
}
run keys check --as-of 2026-11-23 --format json
run schema check --as-of 2026-11-23 --format json
run refs check --as-of 2026-11-23 --format json
run chain render summary --program alpha --as-of 2026-11-23
run flow check --as-of 2026-11-23 --format json

echo
echo "peak memory per MB of input (check):"
for dir in $(ls -d "$work"/flow-* | sort -t- -k3 -n) "$@"; do
    bytes=$(du -sb "$dir" | cut -f1)
    kb=$( { /usr/bin/time -f '%M' "$bin" check "$dir" --as-of 2026-11-23 --format json >/dev/null || true; } 2>&1 | tail -1)
    python3 - "$dir" "$bytes" "$kb" <<'PY'
import sys
name, size, kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mb, mib = size / 1e6, kb / 1024
print(f"{name.rsplit('/', 1)[-1]:>20}: {mb:7.1f} MB in, {mib:8.1f} MiB peak, {mib / mb:6.1f} MiB per MB")
PY
done
