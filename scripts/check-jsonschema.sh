#!/usr/bin/env bash
# Validates every file of a milepost portfolio against its JSON Schema in schemas/, using the
# independent validator check-jsonschema (pip install check-jsonschema).
#
#   scripts/check-jsonschema.sh [PORTFOLIO_DIR]     # default: examples/acme
#
# Each file kind is checked against its own schema. Exits 0 when every file is valid, 1 when
# any file fails validation, 2 on a usage problem (missing tool, not a portfolio).
#
# Dates: check-jsonschema reads YAML with ruamel.yaml and keeps unquoted dates such as
# 2026-11-23 as strings, so `format: date` applies to them as written; an impossible date such
# as 2026-02-30 is reported as "is not a 'date'". No date needs quoting.
set -uo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
schemas="${MILEPOST_SCHEMAS:-$repo_root/schemas}"
portfolio="${1:-$repo_root/examples/acme}"

if ! command -v check-jsonschema >/dev/null 2>&1; then
  echo "check-jsonschema not found; install it with: pip install check-jsonschema" >&2
  exit 2
fi
if [[ ! -f "$portfolio/milepost.yaml" && ! -d "$portfolio/programs" ]]; then
  echo "$portfolio is not a milepost portfolio (no milepost.yaml and no programs/)" >&2
  exit 2
fi

status=0
checked=0

# check KIND FILE...: validate FILEs against schemas/KIND.schema.json.
check() {
  local kind="$1"
  shift
  [[ $# -eq 0 ]] && return 0
  local schema="$schemas/$kind.schema.json"
  if [[ ! -f "$schema" ]]; then
    echo "missing schema $schema" >&2
    exit 2
  fi
  checked=$((checked + $#))
  if ! check-jsonschema --schemafile "$schema" --force-filetype yaml --color never "$@"; then
    status=1
  fi
}

shopt -s nullglob
[[ -f "$portfolio/milepost.yaml" ]] && check milepost "$portfolio/milepost.yaml"
[[ -f "$portfolio/people.yaml" ]] && check people "$portfolio/people.yaml"
for kind in program milestones raid raci decisions; do
  check "$kind" "$portfolio"/programs/*/"$kind.yaml"
done

if [[ $checked -eq 0 ]]; then
  echo "no portfolio files found under $portfolio" >&2
  exit 2
fi
if [[ $status -eq 0 ]]; then
  echo "all $checked files in $portfolio are valid"
fi
exit "$status"
