#!/usr/bin/env bash
# Makes sure the PostgreSQL metadata store's tests have a server: 127.0.0.1:5432, role `sightline`
# (password `sightline`), database `sightline_test`. As root it installs, creates and starts what is missing.
set -euo pipefail

DEFAULT_URL='postgres://sightline:sightline@127.0.0.1:5432/sightline_test'
URL="${SIGHTLINE_TEST_POSTGRES_URL:-$DEFAULT_URL}"
PORT=5432
HINT="PostgreSQL is needed for the tests: run 'sudo apt-get install postgresql' (or set SIGHTLINE_TEST_POSTGRES_URL)"
done_steps=()

# The URL with its password hidden, for messages.
redacted() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#' <<<"$1"; }

# Whether the role can log in to the database at the URL (psql, or the project's own `pg` without it).
can_connect() {
  if command -v psql >/dev/null; then
    PGCONNECT_TIMEOUT=3 psql "$1" -XAtqc 'SELECT 1' >/dev/null 2>&1
  elif command -v node >/dev/null && [ -d "$(dirname "$0")/../node_modules/pg" ]; then
    (cd "$(dirname "$0")/.." && node --input-type=module -e "
      import pg from 'pg';
      const client = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
      await client.connect(); await client.end();" "$1") >/dev/null 2>&1
  else
    return 1
  fi
}

# Runs a command (quietly) and shows its output only when it fails.
quietly() {
  local output
  if ! output=$("$@" 2>&1); then
    echo "$output" >&2
    echo "ensure-postgres: failed: $*" >&2
    exit 1
  fi
}

# Runs psql as the `postgres` superuser over the local socket (peer authentication).
as_postgres_psql() {
  local runner=(su postgres -s /bin/sh -c 'psql -X -q -v ON_ERROR_STOP=1 -p '"$PORT"' -d postgres')
  command -v runuser >/dev/null && runner=(runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres)
  (cd / && "${runner[@]}")
}

if can_connect "$URL"; then
  echo "ensure-postgres: PostgreSQL ready at $(redacted "$URL") (nothing to do)"
  exit 0
fi
if [ "$URL" != "$DEFAULT_URL" ]; then
  echo "ensure-postgres: SIGHTLINE_TEST_POSTGRES_URL is set but cannot be reached: $(redacted "$URL") (unset it to use a local server)" >&2
  exit 1
fi

is_root=false
[ "$(id -u)" = 0 ] && is_root=true

# 1. The server software (Debian packaging: pg_ctlcluster and a server binary).
if ! command -v pg_ctlcluster >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  if $is_root && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    quietly apt-get update -qq
    quietly apt-get install -y -qq postgresql
    done_steps+=("installed postgresql")
  else
    echo "$HINT" >&2
    exit 1
  fi
fi
if ! $is_root; then
  echo "ensure-postgres: PostgreSQL is installed but nothing usable answers at $(redacted "$URL"): run 'sudo bash scripts/ensure-postgres.sh' (or set SIGHTLINE_TEST_POSTGRES_URL)" >&2
  exit 1
fi

# 2. A cluster on port 5432 (`pg_lsclusters -h`: version name port status owner datadir logfile).
read -r version name status < <(pg_lsclusters -h | awk -v port="$PORT" '$3 == port { print $1, $2, $4; exit }') || true
if [ -z "${version:-}" ]; then
  version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)
  name=main
  pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }' && name=sightline
  quietly pg_createcluster "$version" "$name" --port "$PORT"
  status=down
  done_steps+=("created cluster $version/$name")
fi
if [ "$status" != online ]; then
  quietly pg_ctlcluster "$version" "$name" start
  done_steps+=("started cluster $version/$name")
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  echo "ensure-postgres: cluster $version/$name did not answer on 127.0.0.1:$PORT in 30 s; see /var/log/postgresql/postgresql-$version-$name.log" >&2
  exit 1
fi

# 3. The role and the database, idempotently.
quietly as_postgres_psql <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sightline') THEN
    CREATE ROLE sightline LOGIN CREATEDB PASSWORD 'sightline';
  ELSE
    ALTER ROLE sightline LOGIN CREATEDB PASSWORD 'sightline';
  END IF;
END
$$;
SELECT 'CREATE DATABASE sightline_test OWNER sightline'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'sightline_test') \gexec
ALTER DATABASE sightline_test OWNER TO sightline;
SQL
done_steps+=("ensured role sightline and database sightline_test")

if ! can_connect "$URL"; then
  echo "ensure-postgres: the server runs but $(redacted "$URL") still refuses the login; check pg_hba.conf of cluster $version/$name" >&2
  exit 1
fi
summary=$(IFS=,; echo "${done_steps[*]}")
echo "ensure-postgres: ${summary//,/, }; ready at $(redacted "$URL")"
