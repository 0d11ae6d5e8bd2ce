# Sourced by ops/test: a RabbitMQ broker for the transport tests. Uses RECTIFY_TEST_RABBITMQ (an amqp:// URI)
# when given, else a broker already answering on 127.0.0.1:5672 (guest account), else starts the machine's
# rabbitmq-server, installing it with apt when missing and running as root.

rectify_rabbit_port_open() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

rectify_rabbit_start() {
  if [ -n "${RECTIFY_TEST_RABBITMQ:-}" ]; then return 0; fi
  RECTIFY_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:5672"
  if rectify_rabbit_port_open; then return 0; fi

  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    if rectify_is_root && command -v apt-get >/dev/null 2>&1; then
      rectify_log "RabbitMQ not found: installing rabbitmq-server with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server >/dev/null; } \
        || rectify_die "apt-get install rabbitmq-server failed"
      # The package starts a broker where it can; wait for it below, or start one.
    else
      rectify_die "RabbitMQ is needed by the transport tests: install rabbitmq-server, or set RECTIFY_TEST_RABBITMQ to an amqp:// URI."
    fi
  fi

  if ! rectify_rabbit_port_open; then
    rectify_log "starting RabbitMQ on 127.0.0.1:5672"
    (cd / && rabbitmq-server -detached) >/dev/null 2>&1 || rectify_die "rabbitmq-server did not start"
    RECTIFY_RABBIT_STARTED=1
  fi

  local tries=0
  until rectify_rabbit_port_open; do
    tries=$((tries + 1))
    [ "$tries" -lt 90 ] || rectify_die "RabbitMQ does not answer on 127.0.0.1:5672"
    sleep 1
  done
}

rectify_rabbit_stop() {
  if [ "${RECTIFY_RABBIT_STARTED:-0}" = 1 ]; then
    (cd / && rabbitmqctl stop) >/dev/null 2>&1 && rectify_log "stopped RabbitMQ"
  fi
  return 0
}
