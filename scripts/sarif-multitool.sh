#!/usr/bin/env bash
# Validates `milepost check --format sarif` with Microsoft's SARIF multitool: the SARIF
# rules and GitHub's ingestion rules (`--rule-kind Gh`), on a portfolio that sits in a
# sub-folder of a git repository, run four ways (from the repository root, from inside the
# portfolio, with an absolute path, with a `..` path). Fails on any error or warning the
# multitool reports (its notes are suggestions and are printed, not failed on).
#
# usage: scripts/sarif-multitool.sh [path/to/milepost]   (default: target/release/milepost)
# Installs @microsoft/sarif-multitool-linux with npm into target/sarif-multitool/ when it is
# not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
milepost=$(realpath "${1:-target/release/milepost}")

tools=$root/target/sarif-multitool
multitool=$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$multitool" ]; then
    mkdir -p "$tools"
    (cd "$tools" && npm install --silent --no-audit --no-fund --prefix . @microsoft/sarif-multitool-linux@5.7.0 >/dev/null)
    chmod +x "$multitool"
fi
"$multitool" --version | head -1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
mkdir -p "$repo/plans"
cp -r examples/broken "$repo/plans/portfolio"
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=ci -c user.email=ci@example.com add .
git -C "$repo" -c user.name=ci -c user.email=ci@example.com commit -qm "portfolio"
git -C "$repo" remote add origin git@github.com:acme/portfolio.git

run() { # name, working directory, PATH argument
    local out=$work/$1.sarif code=0
    (cd "$2" && "$milepost" check "$3" --format sarif --as-of 2026-11-23 >"$out") || code=$?
    if [ "$code" -ne 1 ]; then
        echo "milepost check ($1) exited $code, expected 1" >&2
        exit 1
    fi
    for kind in "Sarif" "Gh"; do
        local report=$work/$1.$kind.validation.sarif
        "$multitool" validate "$out" --output "$report" --rule-kind "$kind" \
            --level "Error;Warning;Note" --quiet >/dev/null || true
        python3 - "$report" "$1" "$kind" <<'PY'
import json, sys
path, name, kind = sys.argv[1:]
log = json.load(open(path, encoding="utf-8-sig"))
bad, notes = [], {}
for run in log["runs"]:
    for n in run.get("invocations", []):
        for t in n.get("toolExecutionNotifications", []) + n.get("toolConfigurationNotifications", []):
            if t.get("level", "warning") in ("error", "warning"):
                bad.append(f"tool: {t['message']['text']}")
    for r in run.get("results", []):
        level = r.get("level", "warning")
        text = r["message"].get("text") or " ".join(r["message"].get("arguments", []))
        if level in ("error", "warning"):
            bad.append(f"{r['ruleId']} {level}: {text}")
        else:
            notes[r["ruleId"]] = notes.get(r["ruleId"], 0) + 1
summary = ", ".join(f"{k}×{v}" for k, v in sorted(notes.items())) or "none"
if bad:
    print(f"{name} ({kind} rules): {len(bad)} problems", file=sys.stderr)
    for b in bad[:20]:
        print("  " + b, file=sys.stderr)
    sys.exit(1)
print(f"{name} ({kind} rules): valid; notes: {summary}")
PY
    done
    python3 - "$out" "$repo" "$1" <<'PY'
import json, os, sys
path, repo, name = sys.argv[1:]
log = json.load(open(path))
for r in log["runs"][0]["results"]:
    for l in r.get("locations", []):
        uri = l["physicalLocation"]["artifactLocation"]["uri"]
        if not os.path.isfile(os.path.join(repo, uri)):
            sys.exit(f"{name}: {uri} is not a file under the repository root")
print(f"{name}: every location is a file under the repository root")
PY
}

run from-root "$repo" plans/portfolio
run from-inside "$repo/plans/portfolio/programs/ledger" .
run absolute "$work" "$repo/plans/portfolio"
run dot-dot "$repo/plans/portfolio/programs" ..
