#!/usr/bin/env bash
# Makes sure the Redis tests (shared rate limits, shared view cache) have a server at 127.0.0.1:6379.
# As root it installs Debian's redis-server when missing; it starts one (no persistence, loopback only)
# when nothing answers. SIGHTLINE_TEST_REDIS_URL set to another server: only checked.
set -euo pipefail

DEFAULT_URL='redis://127.0.0.1:6379'
URL="${SIGHTLINE_TEST_REDIS_URL:-$DEFAULT_URL}"
HINT="Redis is needed for the tests: run 'sudo apt-get install redis-server' (or set SIGHTLINE_TEST_REDIS_URL)"

# Whether a Redis answers PING at the URL (redis-cli, or the project's own ioredis without it).
can_ping() {
  if command -v redis-cli >/dev/null; then
    [ "$(timeout 3 redis-cli -u "$1" ping 2>/dev/null)" = PONG ]
  else
    (cd "$(dirname "$0")/.." && timeout 5 node --input-type=module -e "
      import { Redis } from 'ioredis';
      const redis = new Redis(process.argv[1], { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      await redis.connect(); await redis.ping(); redis.disconnect();" "$1") >/dev/null 2>&1
  fi
}

if can_ping "$URL"; then
  echo "ensure-redis: Redis ready at $URL (nothing to do)"
  exit 0
fi
if [ "$URL" != "$DEFAULT_URL" ]; then
  echo "ensure-redis: SIGHTLINE_TEST_REDIS_URL is set but does not answer: $URL (unset it to use a local server)" >&2
  exit 1
fi

steps=()
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq redis-server >/dev/null
    steps+=("installed redis-server")
  else
    echo "$HINT" >&2
    exit 1
  fi
fi

# A throw-away server for tests: loopback only, nothing written to disk.
log="${TMPDIR:-/tmp}/sightline-test-redis.log"
redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes \
  --dir "${TMPDIR:-/tmp}" --pidfile "${TMPDIR:-/tmp}/sightline-test-redis.pid" --logfile "$log" >/dev/null || true
steps+=("started redis-server on 127.0.0.1:6379")
for _ in $(seq 1 50); do
  can_ping "$URL" && break
  sleep 0.2
done
if ! can_ping "$URL"; then
  echo "ensure-redis: redis-server did not answer at $URL in 10 s; see $log" >&2
  exit 1
fi
echo "ensure-redis: ${steps[*]}; ready at $URL"
