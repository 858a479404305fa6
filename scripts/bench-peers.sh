#!/usr/bin/env bash
# Runs milepost and its peers side by side on the same generated workloads, and prints the
# ratios (hyperfine's "faster than" lines).
#
#   scripts/bench-peers.sh [PROGRAMS] [MILESTONES_PER_PROGRAM]    # default: 1000 10
#   BENCH_LARGE=1 scripts/bench-peers.sh     # also the 77k-milestone render/site workload
#
# check:    `milepost check` vs ajv-cli (JSON Schema only, same schemas, draft 2020-12 with
#           formats) vs check-jsonschema (Python).
# plan:     `milepost plan --format json` on PROGRAMS × MILESTONES_PER_PROGRAM milestones vs
#           Python networkx's longest path on the same graph (graph algorithm only, no dates).
# history:  `milepost audit` and `milepost metrics` over generated histories of 1,000 and
#           20,000 commits (100 programs, three edits a commit; built by the history bench)
#           vs `git log --first-parent --name-only` on the same repository; cold
#           (`--no-cache`) and warm (the parse cache, in a scratch folder).
# forecast: `milepost forecast --runs 10000` on the PROGRAMS × MILESTONES portfolio (every
#           milestone has a three-point estimate).
# reports:  `milepost render portfolio`, `render summary` and `site` vs `milepost check` on
#           the same portfolio (the target: within 2× check); with BENCH_LARGE=1 also on
#           7,700 programs (77,000 milestones). Sites are written to tmpfs (/dev/shm) when
#           there is one, so the file system's inode allocation is not what is measured.
# Installs its peers into a scratch folder (npm, pip); needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
programs="${1:-1000}"
milestones="${2:-10}"
work="$(mktemp -d /tmp/milepost-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

cargo build --release --locked -p milepost -p milepost-synth >/dev/null
./target/release/milepost-synth --programs "$programs" --milestones "$milestones" --out "$work/portfolio"
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }

# Peers.
(cd "$work" && npm install --silent --no-audit --no-fund ajv-cli@5 ajv-formats@3 >/dev/null 2>&1) || echo "ajv-cli unavailable"
python3 -m pip install --quiet check-jsonschema networkx >/dev/null 2>&1 || true

# ajv-cli reads YAML with js-yaml (YAML 1.1), which turns dates into Date objects that then
# fail `type: string`; give it the same documents as JSON (dates kept as text) instead, so
# it measures schema validation only. `--strict=false`: schemars writes formats such as
# `uint32` that ajv's strict mode refuses.
python3 -m pip install --quiet pyyaml >/dev/null 2>&1 || true
python3 - "$work/portfolio" "$work/json" <<'PY'
import sys, json, pathlib, yaml
class L(yaml.SafeLoader): pass
L.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"] for k, v in L.yaml_implicit_resolvers.items()}
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for f in src.rglob("*.yaml"):
    out = dst / f.relative_to(src).with_suffix(".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(yaml.load(f.read_text(), Loader=L)))
PY
ajv_cmd="true"
if [[ -x "$work/node_modules/.bin/ajv" ]]; then
  ajv_cmd="cd $work/json"
  for kind in milestones raid raci decisions program; do
    ajv_cmd+=" && $work/node_modules/.bin/ajv validate --strict=false --spec=draft2020 -c ajv-formats -s $PWD/schemas/$kind.schema.json -d 'programs/*/$kind.json' >/dev/null"
  done
fi
cjs_cmd="for k in milestones raid raci decisions program; do check-jsonschema --schemafile schemas/\$k.schema.json $work/portfolio/programs/*/\$k.yaml >/dev/null; done"

echo "== check: $programs programs"
hyperfine --warmup 1 --runs 5 \
  -n "milepost check" "./target/release/milepost check $work/portfolio --as-of 2026-11-23 >/dev/null" \
  -n "ajv-cli (schemas only, on JSON copies)" "bash -c \"$ajv_cmd\"" \
  -n "check-jsonschema (schemas only)" "bash -c '$cjs_cmd'"

cat > "$work/longest.py" <<'PY'
import sys, pathlib, re, networkx as nx
root = pathlib.Path(sys.argv[1]) / "programs"
g = nx.DiGraph()
for f in root.glob("*/milestones.yaml"):
    prog = f.parent.name
    cur = None
    for line in f.read_text().splitlines():
        m = re.match(r"  - id: (\S+)", line)
        if m:
            cur = f"{prog}/{m.group(1)}"; g.add_node(cur); continue
        m = re.match(r"    duration: (\d+)d", line)
        if m and cur: g.nodes[cur]["d"] = int(m.group(1))
        m = re.match(r"    depends_on: \[(.*)\]", line)
        if m and cur:
            for dep in m.group(1).split(", "):
                g.add_edge(dep if "/" in dep else f"{prog}/{dep}", cur)
for u, v in g.edges: g.edges[u, v]["weight"] = g.nodes[v].get("d", 0)
print(nx.dag_longest_path_length(g, weight="weight"))
PY
echo "== plan: $((programs * milestones)) milestones"
hyperfine --warmup 1 --runs 5 \
  -n "milepost plan --format json" "./target/release/milepost plan $work/portfolio --as-of 2026-11-23 --format json >/dev/null" \
  -n "networkx dag_longest_path (parse + graph only)" "python3 $work/longest.py $work/portfolio"

echo "== history: audit and metrics vs git log"
MILEPOST_BENCH_KEEP="$work/history" cargo bench --locked -p milepost-history --bench history -- --test >/dev/null 2>&1
export XDG_CACHE_HOME="$work/cache"    # the parse cache, kept out of the user's own
for commits in 1000 20000; do
  repo="$work/history/commits-$commits"
  git -C "$repo" checkout -qf main
  # Cold: --no-cache reads and parses every version. Warm: the parse cache filled by the
  # warm-up run (ADR 0004).
  hyperfine --warmup 1 --runs 5 \
    -n "git log --first-parent --name-only ($commits commits)" "git -C $repo log --first-parent --name-only >/dev/null" \
    -n "milepost audit --format json, cold ($commits commits)" "./target/release/milepost audit $repo --format json --no-cache >/dev/null" \
    -n "milepost audit --format json, warm ($commits commits)" "./target/release/milepost audit $repo --format json >/dev/null" \
    -n "milepost metrics --format json, cold ($commits commits)" "./target/release/milepost metrics $repo --format json --no-cache >/dev/null" \
    -n "milepost metrics --format json, warm ($commits commits)" "./target/release/milepost metrics $repo --format json >/dev/null"
  /usr/bin/time -f "peak memory, milepost audit cold ($commits commits): %M KB" ./target/release/milepost audit "$repo" --format json --no-cache >/dev/null
  /usr/bin/time -f "peak memory, milepost audit warm ($commits commits): %M KB" ./target/release/milepost audit "$repo" --format json >/dev/null
done

echo "== forecast: 10,000 runs over $((programs * milestones)) milestones"
hyperfine --warmup 1 --runs 3 \
  -n "milepost forecast --runs 10000" "./target/release/milepost forecast $work/portfolio --as-of 2026-11-23 --runs 10000 --format json >/dev/null"

reports() {
  local portfolio="$1"
  local label="$2"
  local out="${TMPDIR_FAST:-$work}/site-${label// /-}"
  hyperfine --warmup 1 --runs 3 \
    -n "milepost check ($label)" "./target/release/milepost check $portfolio --as-of 2026-11-23 >/dev/null" \
    -n "milepost render portfolio --format html ($label)" "./target/release/milepost render portfolio $portfolio --as-of 2026-11-23 --format html >/dev/null" \
    -n "milepost render summary ($label)" "./target/release/milepost render summary $portfolio --program prog-0001 --as-of 2026-11-23 --format html >/dev/null" \
    -n "milepost site ($label)" "./target/release/milepost site $portfolio --as-of 2026-11-23 --out $out >/dev/null"
  for cmd in "check $portfolio" "render portfolio $portfolio --format html" "site $portfolio --out $out"; do
    /usr/bin/time -f "peak memory, milepost ${cmd%% *} ($label): %M KB" ./target/release/milepost $cmd --as-of 2026-11-23 >/dev/null
  done
  rm -rf "$out"
}
if [[ -d /dev/shm ]]; then
  TMPDIR_FAST="$(mktemp -d /dev/shm/milepost-bench.XXXXXX)"
  trap 'rm -rf "$work" "$TMPDIR_FAST"' EXIT
fi
echo "== reports vs check: $programs programs"
reports "$work/portfolio" "$programs programs"
if [[ -n "${BENCH_LARGE:-}" ]]; then
  ./target/release/milepost-synth --programs 7700 --milestones 10 --out "$work/large"
  echo "== reports vs check: 7,700 programs (77,000 milestones)"
  reports "$work/large" "7700 programs"
fi
