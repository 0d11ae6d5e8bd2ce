# Sourced by ops/test: a RabbitMQ broker for the transport tests. Uses RECTIFY_TEST_RABBITMQ (an amqp:// URI)
# when given; else starts a private broker from the installed rabbitmq-server (installing it with apt when missing
# and running as root), as for PostgreSQL: its own data, logs, node name and ports under $RECTIFY_HOME/rabbitmq, run
# as the calling user, so two checkouts (or a non-root user beside the machine's own broker) never share, use or
# stop each other's broker. It is stopped again, its epmd included, when the tests end.
#
#   RECTIFY_RABBIT_PORT  AMQP port on 127.0.0.1 (default: the first free port from 55672)

rectify_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first port from $1 upwards that nothing listens on.
rectify_free_port() {
  local port="$1" tries=0
  while rectify_port_open "$port"; do
    port=$((port + 1)); tries=$((tries + 1))
    [ "$tries" -lt 200 ] || rectify_die "no free port found from $1 upwards"
  done
  echo "$port"
}

# The broker's own start script: Debian's /usr/sbin wrapper would switch to the rabbitmq user and its folders.
rectify_rabbit_bin() {
  local dir
  for dir in "${RABBITMQ_BIN:-}" /usr/lib/rabbitmq/bin /usr/local/lib/rabbitmq/bin; do
    [ -n "$dir" ] && [ -x "$dir/rabbitmq-server" ] && { echo "$dir"; return 0; }
  done
  command -v rabbitmq-server >/dev/null 2>&1 && { dirname "$(command -v rabbitmq-server)"; return 0; }
  return 1
}

rectify_rabbit_install() {
  RECTIFY_RABBIT_BIN="$(rectify_rabbit_bin)" && return 0
  if rectify_is_root && command -v apt-get >/dev/null 2>&1; then
    rectify_log "RabbitMQ not found: installing rabbitmq-server with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server >/dev/null; } \
      || rectify_die "apt-get install rabbitmq-server failed"
    # The package starts the machine's own broker where it can; ours is separate and leaves it alone.
    RECTIFY_RABBIT_BIN="$(rectify_rabbit_bin)" || rectify_die "rabbitmq-server installed but not found"
  else
    rectify_die "RabbitMQ is needed by the transport tests: install rabbitmq-server, or set RECTIFY_TEST_RABBITMQ to an amqp:// URI."
  fi
}

# Everything the broker and rabbitmqctl read, pointed into the private folder.
rectify_rabbit_env() {
  local dir="$RECTIFY_HOME/rabbitmq"
  export RABBITMQ_BASE="$dir" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export RABBITMQ_PID_FILE="$dir/rabbit.pid" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODENAME RABBITMQ_NODE_PORT RABBITMQ_DIST_PORT ERL_EPMD_PORT
  # The Erlang cookie lives in $HOME: the private folder, not the user's.
  export HOME="$dir"
}

rectify_rabbit_start() {
  if [ -n "${RECTIFY_TEST_RABBITMQ:-}" ]; then return 0; fi
  rectify_rabbit_install

  local dir="$RECTIFY_HOME/rabbitmq" tag
  rm -rf "$dir" && mkdir -p "$dir"
  tag="$(printf '%s' "$RECTIFY_HOME" | sha1sum | cut -c1-10)"
  RABBITMQ_NODENAME="rectify-$tag@localhost"
  RABBITMQ_NODE_PORT="${RECTIFY_RABBIT_PORT:-$(rectify_free_port 55672)}"
  RABBITMQ_DIST_PORT="$(rectify_free_port $((RABBITMQ_NODE_PORT + 100)))"
  ERL_EPMD_PORT="$(rectify_free_port $((RABBITMQ_NODE_PORT + 200)))"
  printf '[].\n' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  printf 'listeners.tcp.default = 127.0.0.1:%s\n' "$RABBITMQ_NODE_PORT" >"$dir/rabbitmq.conf"

  rectify_log "starting a private RabbitMQ on 127.0.0.1:$RABBITMQ_NODE_PORT ($dir)"
  (rectify_rabbit_env && cd "$dir" && "$RECTIFY_RABBIT_BIN/rabbitmq-server" -detached) >/dev/null 2>&1 \
    || rectify_die "rabbitmq-server did not start: see $dir/log"
  RECTIFY_RABBIT_STARTED=1
  RECTIFY_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$RABBITMQ_NODE_PORT"
}

# Waits for the broker started above; separate, so that the build runs while it boots.
rectify_rabbit_wait() {
  [ "${RECTIFY_RABBIT_STARTED:-0}" = 1 ] || return 0
  local tries=0
  until rectify_port_open "$RABBITMQ_NODE_PORT"; do
    tries=$((tries + 1))
    [ "$tries" -lt 180 ] || rectify_die "RabbitMQ does not answer on 127.0.0.1:$RABBITMQ_NODE_PORT: see $RECTIFY_HOME/rabbitmq/log"
    sleep 1
  done
}

rectify_rabbit_stop() {
  [ "${RECTIFY_RABBIT_STARTED:-0}" = 1 ] || return 0
  (
    rectify_rabbit_env
    cd "$RECTIFY_HOME/rabbitmq" || exit 0
    "$RECTIFY_RABBIT_BIN/rabbitmqctl" -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 \
      || { [ -f "$RABBITMQ_PID_FILE" ] && kill "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; }
    # epmd outlives the broker and refuses to stop while the node is still registered with it.
    local tries=0
    while epmd -port "$ERL_EPMD_PORT" -names 2>/dev/null | grep -q '^name '; do
      tries=$((tries + 1)); [ "$tries" -lt 30 ] || break; sleep 1
    done
    epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
  )
  RECTIFY_RABBIT_STARTED=0
  rectify_log "stopped the private RabbitMQ"
  return 0
}
