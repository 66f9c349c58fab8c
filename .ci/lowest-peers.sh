#!/usr/bin/env bash
# Proves the suite passes on the LOWEST version of each peer range the published packages declare.
#
#   1. Copies the workspace's tracked files (plus untracked, non-ignored ones, so a local run sees the working tree;
#      on CI's fresh clone that is exactly the commit) to a scratch directory. Nothing in the repository is touched.
#   2. Resolves, from the registry, the lowest published version satisfying each @pulumi/* peer range of
#      packages/components (and packages/testing: a package both declare must satisfy both ranges). Versions missing
#      from the registry are skipped: ^4.24.0 resolves to 4.24.1 if 4.24.0 was never published.
#   3. Pins those versions in every dependency list of every workspace package.json of the copy, installs
#      (--no-frozen-lockfile, keeping every other locked version) and checks that everything the suite loads
#      resolves them to those versions, e.g. no second @pulumi/pulumi pulled in by a provider SDK (the policy pack's
#      @pulumi/policy keeps its own).
#   4. Runs the root `check` script's steps except lint and format (eslint, prettier): build, typecheck, docs, jest.
#
# Exit status is non-zero if any step fails. The last line is a one-line summary: versions, jest totals, wall time.
#
# Usage: bash .ci/lowest-peers.sh [--current]
#   --current   run the identical pipeline with the committed pins instead (a baseline: a test that fails both ways
#               does not fail because of the peer versions).
# Environment: KEEP_SCRATCH=1 keeps the scratch directory (its path is printed).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
mode=lowest
case "${1:-}" in
  "") ;;
  --current) mode=current ;;
  *) echo "usage: bash .ci/lowest-peers.sh [--current]" >&2; exit 2 ;;
esac
pnpm() { COREPACK_INTEGRITY_KEYS=0 corepack pnpm "$@"; }

start=$SECONDS
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lowest-peers.XXXXXX")
cleanup() {
  if [ "${KEEP_SCRATCH:-}" = 1 ]; then echo "lowest-peers: scratch kept in $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

versions="(committed pins)"
jest_totals="jest not run"
failed=""
summary() {
  local status=PASS
  [ -z "$failed" ] || status="FAIL($failed)"
  echo "lowest-peers: $status [$mode] $versions | $jest_totals | $((SECONDS - start))s"
}
fail() { failed=$1; summary; exit 1; }

# 1. Copy the workspace.
echo "== lowest-peers: copying $repo to $scratch"
git -C "$repo" ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do if [ -e "$repo/$f" ] || [ -L "$repo/$f" ]; then printf '%s\0' "$f"; fi; done |
  tar -C "$repo" --null --files-from=- -cf - | tar -C "$scratch" -xf -
cd "$scratch"

if [ "$mode" = lowest ]; then
  # 2. Resolve the lowest version of each peer range. npm reads the same registry configuration as pnpm.
  echo "== lowest-peers: resolving the lowest published version of each peer range"
  node - > "$scratch/.lowest-peers.json" <<'EOF' || fail resolve
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const ranges = {};
for (const dir of ["packages/components", "packages/testing", "packages/plan"]) {
  const peers = JSON.parse(fs.readFileSync(`${dir}/package.json`, "utf8")).peerDependencies ?? {};
  // The Pulumi SDKs: what the components program against. Optional tool peers of the harness (tsx, jest's
  // environment, the manifest models) are the workspace's own pins.
  for (const [name, range] of Object.entries(peers)) {
    if (name.startsWith("@pulumi/")) (ranges[name] ??= new Set()).add(range);
  }
}
const parse = (v) => {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([^+]+))?/.exec(v);
  if (!m) throw new Error(`not a version: ${v}`);
  return [+m[1], +m[2], +m[3], m[4]];
};
const compare = (a, b) => {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  if (x[3] === y[3]) return 0;
  if (x[3] === undefined) return 1; // a release sorts after its pre-releases
  if (y[3] === undefined) return -1;
  return x[3] < y[3] ? -1 : 1;
};
const lowest = {};
for (const [name, set] of Object.entries(ranges)) {
  const range = [...set].join(" "); // a space intersects semver ranges
  let out;
  try {
    out = execFileSync("npm", ["view", `${name}@${range}`, "version", "--json", "--loglevel=error"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
  } catch {
    throw new Error(`no published version of ${name} satisfies "${range}"`);
  }
  const found = [].concat(JSON.parse(out)); // one match prints a string, several an array (unordered)
  if (found.length === 0) throw new Error(`no published version of ${name} satisfies "${range}"`);
  lowest[name] = found.sort(compare)[0];
  console.error(`   ${name}  "${range}"  ->  ${lowest[name]}  (lowest of ${found.length} published)`);
}
process.stdout.write(JSON.stringify(lowest));
EOF
  versions=$(node -e 'const l=require(process.argv[1]);console.log(Object.entries(l).map(([n,v])=>`${n}@${v}`).join(" "))' \
    "$scratch/.lowest-peers.json")
  echo "   chosen: $versions"

  # 3. Pin them in every workspace package.json of the copy.
  echo "== lowest-peers: pinning them in every workspace package.json"
  git -C "$repo" ls-files -z --cached --others --exclude-standard -- 'package.json' '*/package.json' \
    > "$scratch/.manifests"
  node - "$scratch/.lowest-peers.json" "$scratch/.manifests" <<'EOF' || fail pin
const fs = require("node:fs");
const lowest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const files = fs.readFileSync(process.argv[3], "utf8").split("\0").filter((f) => f && fs.existsSync(f));
for (const file of files) {
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  const changed = [];
  const lists = ["dependencies", "devDependencies", "optionalDependencies"].map((k) => pkg[k]);
  lists.push(pkg.pnpm?.overrides, pkg.overrides, pkg.resolutions);
  for (const deps of lists) {
    if (!deps) continue;
    for (const [name, spec] of Object.entries(deps)) {
      if (!(name in lowest) || typeof spec !== "string" || /^(workspace|link|file):/.test(spec)) continue;
      if (spec !== lowest[name]) changed.push(`${name} ${spec} -> ${lowest[name]}`);
      deps[name] = lowest[name];
    }
  }
  if (changed.length === 0) continue;
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  console.log(`   ${file}: ${changed.join(", ")}`);
}
EOF
fi

echo "== lowest-peers: pnpm install --no-frozen-lockfile"
pnpm install --no-frozen-lockfile --reporter=append-only > "$scratch/.install.log" 2>&1 ||
  { tail -50 "$scratch/.install.log"; fail install; }
tail -3 "$scratch/.install.log"

if [ "$mode" = lowest ]; then
  # Nothing the components, the harness, the plan, the tests or the examples load may resolve a peer to another
  # version (a provider SDK's own @pulumi/pulumi dependency, say): the suite would then test that version, or two
  # runtimes at once. The policy pack is a Pulumi project of its own with its own floor (@pulumi/policy depends on a
  # newer @pulumi/pulumi): the copy only it loads is allowed, and reported.
  node - "$scratch/.lowest-peers.json" <<'EOF' || fail verify
const fs = require("node:fs");
const path = require("node:path");
const lowest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const consumers = ["packages/components", "packages/testing", "packages/plan", "tests",
  ...fs.readdirSync("examples").map((e) => `examples/${e}`)];
const versionFrom = (name, dir) => {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [path.resolve(dir)] });
    return { version: JSON.parse(fs.readFileSync(file, "utf8")).version, dir: path.dirname(fs.realpathSync(file)) };
  } catch {
    return undefined;
  }
};
let bad = false;
for (const [name, version] of Object.entries(lowest)) {
  const seen = new Map();
  for (const dir of consumers) {
    const found = versionFrom(name, dir);
    if (found) seen.set(dir, found.version);
    // The provider SDKs' own copy of the peer (e.g. @pulumi/gcp's @pulumi/pulumi).
    for (const sdk of Object.keys(lowest)) {
      const at = versionFrom(sdk, dir);
      const inner = at && versionFrom(name, at.dir);
      if (inner) seen.set(`${dir} > ${sdk}`, inner.version);
    }
  }
  const wrong = [...seen].filter(([, v]) => v !== version);
  bad ||= wrong.length > 0;
  const other = wrong.length ? `; OTHER: ${wrong.map(([d, v]) => `${d} ${v}`).join(", ")}` : "";
  console.log(`   ${name}: ${version} for all ${seen.size} consumers${other}`);
}
const policy = versionFrom("@pulumi/policy", "packages/policy");
const policyPulumi = policy && versionFrom("@pulumi/pulumi", policy.dir);
if (policyPulumi) {
  console.log(`   (the policy pack: @pulumi/policy ${policy.version} loads its own @pulumi/pulumi ${policyPulumi.version})`);
}
process.exit(bad ? 1 : 0);
EOF
fi

# 4. The root `check` script (everything CI runs: build, typecheck, docs, both jest tiers) without lint and format.
mapfile -t steps < <(node -e '
  const test = require(process.argv[1]).scripts.check;
  for (const step of test.split("&&").map((s) => s.trim())) if (!/^(eslint|prettier)\b/.test(step)) console.log(step);
' "$scratch/package.json")
export PATH="$scratch/node_modules/.bin:$PATH"
for step in "${steps[@]}"; do
  echo "== lowest-peers: $step"
  if [[ $step == *jest* ]]; then
    set +e
    bash -c "$step" 2>&1 | tee "$scratch/.jest.log"
    rc=${PIPESTATUS[0]}
    set -e
    jest_totals=$(grep -E '^Tests:' "$scratch/.jest.log" | tail -1 | tr -s ' ' || true)
    jest_totals=${jest_totals:-"jest printed no totals"}
    [ "$rc" -eq 0 ] || fail jest
  else
    bash -c "$step" || fail "${step:0:40}"
  fi
done

summary
