#!/usr/bin/env bash
# Compiles every JSON Schema milepost publishes (schemas/*.schema.json, schemas/output/) with
# Ajv in strict mode (ajv-cli, from npm): unknown keywords, ambiguous types and undefined
# required properties are errors. The editor annotations are declared as vocabulary by
# scripts/ajv-editor-keywords.cjs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x target/ajv/node_modules/.bin/ajv ] || [ ! -d target/ajv/node_modules/ajv-formats ]; then
    mkdir -p target/ajv
    (cd target/ajv && [ -f package.json ] || echo '{"private": true}' > package.json)
    npm install --silent --no-audit --no-fund --prefix target/ajv ajv-cli@5.0.0 ajv@8.17.1 ajv-formats@3.0.1 >/dev/null
fi
status=0
for schema in schemas/*.schema.json schemas/output/*.schema.json; do
    if ! (cd target/ajv && ./node_modules/.bin/ajv compile --spec=draft2020 --strict=true --allow-union-types \
        -c ajv-formats -c ../../scripts/ajv-editor-keywords.cjs -s "../../$schema" >/dev/null); then
        echo "ajv --strict rejects $schema" >&2
        status=1
    fi
done
[ "$status" = 0 ] && echo "ajv --strict=true accepts every schema"
exit "$status"
