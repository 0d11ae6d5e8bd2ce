# Sourced by ops/run and ops/test. Starts (idempotently) a private PostgreSQL cluster from the
# installed binaries when no connection string is given. Nothing here is specific to one machine.
#
#   RECTIFY_HOME     state folder (default: <checkout>/.rectify, git-ignored)
#   RECTIFY_PG_PORT  port of the private cluster on 127.0.0.1 (default 55432; when that port is taken by
#                    something else, the next free one, so two checkouts on one machine do not collide)
#   PG_BIN           folder of initdb/pg_ctl (default: newest /usr/lib/postgresql/*/bin, else PATH)

RECTIFY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RECTIFY_HOME="${RECTIFY_HOME:-$RECTIFY_ROOT/.rectify}"
RECTIFY_PG_PORT_GIVEN="${RECTIFY_PG_PORT:+1}"
RECTIFY_PG_PORT="${RECTIFY_PG_PORT:-55432}"

rectify_log() { printf '[rectify] %s\n' "$*" >&2; }
rectify_die() { printf '[rectify] error: %s\n' "$*" >&2; exit 1; }

rectify_is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a PostgreSQL server binary as the right user: PostgreSQL refuses to run as root.
rectify_as_pg() {
  # From /: the postgres user may not be allowed into the current folder.
  if rectify_is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

rectify_find_pg_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then return 0; fi
  local candidate
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then PG_BIN="$candidate"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then PG_BIN="$(dirname "$(command -v initdb)")"; return 0; fi
  return 1
}

rectify_install_pg() {
  rectify_find_pg_bin && return 0
  if rectify_is_root && command -v apt-get >/dev/null 2>&1; then
    rectify_log "PostgreSQL binaries not found: installing with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } \
      || rectify_die "apt-get install postgresql failed"
    rectify_find_pg_bin || rectify_die "PostgreSQL installed but initdb not found"
  else
    rectify_die "PostgreSQL binaries (initdb, pg_ctl) not found. Install PostgreSQL 15+ or set PG_BIN, or give a connection string in ConnectionStrings__marten."
  fi
}

# The cluster lives in $RECTIFY_HOME/pg when the postgres user can reach it; a checkout under a
# home folder of mode 700 is unreachable for postgres, and then the cluster lives under $TMPDIR,
# named after the checkout.
rectify_pg_data_dir() {
  local inside="$RECTIFY_HOME/pg"
  if ! rectify_is_root; then echo "$inside"; return; fi
  mkdir -p "$RECTIFY_HOME"
  if runuser -u postgres -- test -x "$RECTIFY_HOME" 2>/dev/null; then echo "$inside"; return; fi
  local tag
  tag="$(printf '%s' "$RECTIFY_HOME" | sha1sum | cut -c1-12)"
  echo "${TMPDIR:-/tmp}/rectify-pg-$tag"
}

rectify_pg_running() {
  rectify_as_pg "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

rectify_port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The port a running cluster listens on: line 4 of its postmaster.pid.
rectify_pg_running_port() {
  local port
  port="$(rectify_as_pg sed -n 4p "$1/postmaster.pid" 2>/dev/null || true)"
  [ -n "$port" ] && echo "$port"
}

# A port given by the user is kept (and reported if taken); the default moves to the next free port.
rectify_pg_pick_port() {
  local tries=0
  while rectify_port_taken "$RECTIFY_PG_PORT"; do
    [ -z "$RECTIFY_PG_PORT_GIVEN" ] \
      || rectify_die "port $RECTIFY_PG_PORT is taken: set RECTIFY_PG_PORT to a free port, or give a connection string"
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || rectify_die "no free port found from 55432 upwards: set RECTIFY_PG_PORT"
    RECTIFY_PG_PORT=$((RECTIFY_PG_PORT + 1))
  done
}

rectify_pg_start() {
  rectify_install_pg
  local data
  data="$(rectify_pg_data_dir)"
  mkdir -p "$data"
  if rectify_is_root; then chown postgres:postgres "$data"; chmod 700 "$data"; fi

  if [ ! -f "$data/PG_VERSION" ]; then
    rectify_log "creating a private PostgreSQL cluster in $data"
    rectify_as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
      || rectify_die "initdb failed in $data"
    cat >>"$data/postgresql.conf" <<CONF
# Rectify private cluster: loopback only, TCP only.
listen_addresses = '127.0.0.1'
port = $RECTIFY_PG_PORT
unix_socket_directories = ''
max_connections = 200
CONF
  fi

  if rectify_pg_running "$data"; then
    local running
    running="$(rectify_pg_running_port "$data" || echo "$RECTIFY_PG_PORT")"
    if [ -n "$RECTIFY_PG_PORT_GIVEN" ] && [ "$running" != "$RECTIFY_PG_PORT" ]; then
      rectify_die "the private cluster already runs on port $running, not $RECTIFY_PG_PORT: stop it (ops/run --stop-db) or unset RECTIFY_PG_PORT"
    fi
    RECTIFY_PG_PORT="$running"
  else
    local attempt=0
    while :; do
      rectify_pg_pick_port
      rectify_log "starting PostgreSQL on 127.0.0.1:$RECTIFY_PG_PORT"
      if rectify_as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 -o "-p $RECTIFY_PG_PORT" start >/dev/null; then
        RECTIFY_PG_STARTED=1
        break
      fi
      # Another process may have taken the port between the check and the bind: try the next one.
      attempt=$((attempt + 1))
      if [ -z "$RECTIFY_PG_PORT_GIVEN" ] && [ "$attempt" -lt 5 ] \
        && tail -n 20 "$data/server.log" | grep -q "Address already in use"; then
        RECTIFY_PG_PORT=$((RECTIFY_PG_PORT + 1))
        continue
      fi
      tail -n 20 "$data/server.log" >&2
      rectify_die "PostgreSQL did not start (log: $data/server.log)"
    done
  fi

  local tries=0
  until "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$RECTIFY_PG_PORT" -t 2 >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || rectify_die "PostgreSQL on port $RECTIFY_PG_PORT does not answer"
    sleep 1
  done
}

rectify_pg_stop() {
  rectify_find_pg_bin || rectify_die "PostgreSQL binaries not found"
  local data
  data="$(rectify_pg_data_dir)"
  if [ -f "$data/PG_VERSION" ] && rectify_pg_running "$data"; then
    rectify_as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null && rectify_log "stopped PostgreSQL ($data)"
  else
    rectify_log "the private PostgreSQL is not running"
  fi
  return 0
}

rectify_psql() {
  "$PG_BIN/psql" -h 127.0.0.1 -p "$RECTIFY_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

# Creates the database if missing; prints its connection string.
rectify_pg_database() {
  local name="$1"
  if [ "$(rectify_psql -c "select 1 from pg_database where datname = '$name'")" != "1" ]; then
    rectify_psql -c "create database \"$name\"" >/dev/null || rectify_die "could not create database $name"
  fi
  echo "Host=127.0.0.1;Port=$RECTIFY_PG_PORT;Database=$name;Username=postgres"
}
