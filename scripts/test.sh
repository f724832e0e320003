#!/usr/bin/env bash
# The whole test suite: system packages the tests need (installed when missing, as root), type-check,
# lint, build, then every test. `.ci/run` calls this same script.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v fc-list >/dev/null && fc-list | grep -qi dejavu || need_apt+=(fonts-dejavu-core fontconfig)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v redis-server >/dev/null || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages the tests need: ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing Debian packages: run 'sudo apt-get install ${need_apt[*]}' and try again." >&2
    exit 1
  fi
fi

# PostgreSQL for the shared-store tests (installed and started from Debian's packages when missing)
bash scripts/ensure-postgres.sh
export SIGHTLINE_TEST_POSTGRES_URL="${SIGHTLINE_TEST_POSTGRES_URL:-postgres://sightline:sightline@127.0.0.1:5432/sightline_test}"
# Redis for the shared rate limits and view cache (started from Debian's redis-server when missing)
bash scripts/ensure-redis.sh
export SIGHTLINE_TEST_REDIS_URL="${SIGHTLINE_TEST_REDIS_URL:-redis://127.0.0.1:6379}"

[ -d node_modules ] || npm ci
npm run --silent typecheck
npm run --silent lint
npm run --silent build

mkdir -p test-artifacts
rm -f test-artifacts/vitest*.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@" || status=$?
# Then, alone: the README followed on a fresh clone (a real npm ci with an empty cache). Skipped when
# the run was narrowed to given files.
if [ $# -eq 0 ]; then
  SIGHTLINE_INSTALL_TESTS=1 npx vitest run --reporter=default --reporter=json \
    --outputFile.json=test-artifacts/vitest-install.json || status=$?
fi
# The plain closing line, for tools that read it.
node -e "
const fs = require('fs');
let passed = 0, failed = 0, skipped = 0;
for (const name of ['vitest.json', 'vitest-install.json']) {
  const path = 'test-artifacts/' + name;
  if (!fs.existsSync(path)) continue;
  const r = JSON.parse(fs.readFileSync(path, 'utf8'));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests;
}
console.log('Tests: ' + passed + ' passed, ' + failed + ' failed' + (skipped ? ', ' + skipped + ' skipped' : ''));
" || true
exit $status
