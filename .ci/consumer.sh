#!/usr/bin/env bash
# A stranger's install: packs the four publishable packages (pnpm pack turns workspace:* into versions), installs
# the tarballs with `npm install --engine-strict` into a fresh project OUTSIDE the workspace (.ci/consumer: Pulumi's
# `pulumi new typescript` tsconfig, the README's jest recipe), compiles it with that tsconfig (no skipLibCheck), runs
# its jest tests and plans it with the installed `gcp-mtls-plan` bin. Nothing of the workspace's node_modules is used.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
pnpm() { COREPACK_INTEGRITY_KEYS=0 corepack pnpm "$@"; }

echo "== consumer: packing @gcp-mtls/rules, @gcp-mtls/testing, @gcp-mtls/plan, @gcp-mtls/components, @gcp-mtls/policy"
for pkg in rules testing plan components policy; do
  (cd "$repo/packages/$pkg" && pnpm pack --pack-destination "$work/packs" > /dev/null)
done
ls "$work/packs"
cp -R "$repo/.ci/consumer" "$work/project"
cd "$work/project"
tgz() { ls "$work/packs"/gcp-mtls-"$1"-*.tgz; }
node - "$(tgz rules)" "$(tgz testing)" "$(tgz plan)" "$(tgz components)" <<'JS'
const [rules, testing, plan, components] = process.argv.slice(2);
const pkg = {
  name: "consumer",
  private: true,
  scripts: { test: "jest" },
  dependencies: {
    "@gcp-mtls/components": `file:${components}`,
    "@gcp-mtls/rules": `file:${rules}`,
    "@pulumi/gcp": "^9.13.0",
    "@pulumi/kubernetes": "^4.24.0",
    "@pulumi/pulumi": "^3.142.0",
    "@pulumi/tls": "^5.3.0",
  },
  devDependencies: {
    "@gcp-mtls/plan": `file:${plan}`,
    "@gcp-mtls/testing": `file:${testing}`,
    "@swc/core": "^1.16.0",
    "@swc/jest": "^0.2.39",
    "@types/jest": "^30.0.0",
    "@types/node": "^20.19.0",
    jest: "^30.2.0",
    "jest-environment-node": "^30.2.0",
    tsx: "^4.20.0",
    typescript: "^5.9.0",
  },
};
require("node:fs").writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
JS
echo "== consumer: npm install --engine-strict (node $(node --version))"
npm install --engine-strict --no-audit --no-fund --loglevel=error
echo "== consumer: tsc with Pulumi's default TypeScript template (no skipLibCheck)"
npx --no-install tsc -p tsconfig.json --noEmit
echo "== consumer: jest"
npx --no-install jest --ci
echo "== consumer: the installed gcp-mtls-plan bin"
npx --no-install gcp-mtls-plan . --stack dev --no-proof > plan.txt
grep -q "Resources: 5 to create (tls: 5) in 1 component" plan.txt || { cat plan.txt; echo "consumer: unexpected plan"; exit 1; }
echo "== consumer: the installed Pulumi plugin serves its schema (as pulumi package add runs it)"
node plugin-check.js
echo "== consumer: a policy pack project on the installed @gcp-mtls/policy serves over gRPC (as --policy-pack runs it)"
mkdir "$work/pack" && cd "$work/pack"
printf 'description: gcp-mtls guardrails\nruntime: nodejs\n' > PulumiPolicy.yaml
echo 'require("@gcp-mtls/policy");' > index.js
node -e 'require("node:fs").writeFileSync("package.json", JSON.stringify({ name: "mtls-pack", version: "1.0.0", main: "index.js",
  dependencies: { "@gcp-mtls/policy": `file:${process.argv[1]}`, "@gcp-mtls/rules": `file:${process.argv[2]}` } }, null, 2))' \
  "$(tgz policy)" "$(tgz rules)"
npm install --engine-strict --no-audit --no-fund --loglevel=error
node -e '
const { spawn } = require("node:child_process");
const pack = spawn(process.execPath, ["index.js"], { stdio: ["ignore", "pipe", "inherit"] });
const timer = setTimeout(() => { console.error("consumer: the pack printed no port in 30 s"); pack.kill(); process.exit(1); }, 30000);
pack.stdout.on("data", (d) => {
  if (/^\d+\s*$/m.test(String(d))) { console.log(`   the pack serves on port ${String(d).trim()}`); clearTimeout(timer); pack.kill(); }
});
pack.on("exit", (code, signal) => { if (signal !== "SIGTERM") { console.error(`consumer: the pack exited (${code})`); process.exit(1); } });
'
echo "consumer: PASS ($((SECONDS - start))s)"
