#!/usr/bin/env bash
# A real single-node Kafka broker (KRaft, broker + controller in one JVM) on localhost,
# run from the jars Maven fetches (no Kafka download, no Docker).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/kafka.sh start|stop|status

  start   format the storage on first use, start the broker in the background, wait until it
          answers a metadata request, then create the topics of scripts/topics.txt (idempotent).
          Prints the start-up time.
  stop    stop the broker this script started (SIGTERM, SIGKILL after ${KAFKA_STOP_TIMEOUT:-30} s).
  status  print whether it runs; exit 0 if it does, 3 if not.

Environment:
  KAFKA_PORT             client listener on localhost            (default 9092)
  KAFKA_CONTROLLER_PORT  KRaft controller listener on localhost  (default 9093)
  KAFKA_HEAP_OPTS        broker heap                             (default "-Xms256m -Xmx1g")
  KAFKA_START_TIMEOUT    seconds to wait for the broker          (default 90)
  SHOP_LOCAL_DIR         run state; the broker uses SHOP_LOCAL_DIR/kafka/ (default <repo>/.local)
  SHOP_LIB_DIR           jar cache; the broker uses SHOP_LIB_DIR/kafka/   (default <repo>/.local/lib)

Files: data in \$SHOP_LOCAL_DIR/kafka/data (cluster id in data/cluster.id), logs in
\$SHOP_LOCAL_DIR/kafka/logs (server.log, kafka.out), config rendered from
scripts/conf/kafka-server.properties into \$SHOP_LOCAL_DIR/kafka/server.properties.
USAGE
}

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

KAFKA_DIR="$SHOP_LOCAL_DIR/kafka"
DATA_DIR="$KAFKA_DIR/data"
LOG_DIRS="$DATA_DIR/kraft-logs"
LOGS_DIR="$KAFKA_DIR/logs"
TMP_DIR="$KAFKA_DIR/tmp"
PIDFILE="$KAFKA_DIR/kafka.pid"
SERVER_PROPS="$KAFKA_DIR/server.properties"
MARKER="$(service_marker kafka)"

# Options of the short-lived tool JVMs: quick start, quiet logging, temp files in our dir.
tool_jvm_opts() {
  TOOL_OPTS=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+PerfDisableSharedMem
    "-Djava.io.tmpdir=$TMP_DIR"
    "-Dlog4j2.configurationFile=file:$ROOT/scripts/conf/kafka-tools-log4j2.properties")
}

# The bootstrap address of the running broker, from the config it was started with.
running_bootstrap() {
  sed -n -E 's#^advertised\.listeners=PLAINTEXT://##p' "$SERVER_PROPS" 2>/dev/null | head -n1
}

render_server_properties() {
  local line out=""
  while IFS= read -r line || [[ -n "$line" ]]; do
    line=${line//@KAFKA_PORT@/$KAFKA_PORT}
    line=${line//@KAFKA_CONTROLLER_PORT@/$KAFKA_CONTROLLER_PORT}
    line=${line//@LOG_DIRS@/$LOG_DIRS}
    out+="$line"$'\n'
  done <"$ROOT/scripts/conf/kafka-server.properties"
  printf '%s' "$out" >"$SERVER_PROPS"
}

# A KRaft cluster id: 16 random bytes, base64url without padding (what `random-uuid` prints).
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* && ${#id} -eq 22 ]] && break
  done
  printf '%s' "$id"
}

format_storage_if_needed() {
  if [[ -f "$LOG_DIRS/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  if [[ -s "$DATA_DIR/cluster.id" ]]; then
    cluster_id="$(cat "$DATA_DIR/cluster.id")"
  else
    cluster_id="$(new_cluster_id)"
    printf '%s\n' "$cluster_id" >"$DATA_DIR/cluster.id"
  fi
  info "formatting the broker storage (cluster id $cluster_id) ..."
  tool_jvm_opts
  if ! "$JAVA" "${TOOL_OPTS[@]}" -cp "$SHOP_LIB_DIR/kafka/*" kafka.tools.StorageTool \
    format -t "$cluster_id" -c "$SERVER_PROPS" --ignore-formatted >"$LOGS_DIR/format.log" 2>&1; then
    show_log_tail "$LOGS_DIR/format.log"
    die "formatting the storage in $LOG_DIRS failed (see above)."
  fi
}

cmd_start() {
  require_java
  mkdir -p "$DATA_DIR" "$LOGS_DIR" "$TMP_DIR"
  take_lock "$KAFKA_DIR/.lock"
  local pid
  if pid="$(pidfile_pid "$PIDFILE" "$MARKER")"; then
    die "the Kafka broker is already running (pid $pid, bootstrap $(running_bootstrap)). Use 'scripts/kafka.sh stop' first."
  fi
  [[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both $KAFKA_PORT)."
  require_port_free localhost "$KAFKA_PORT" "Kafka client listener, KAFKA_PORT"
  require_port_free localhost "$KAFKA_CONTROLLER_PORT" "Kafka controller listener, KAFKA_CONTROLLER_PORT"
  [[ -f "$ROOT/scripts/topics.txt" ]] || die "missing $ROOT/scripts/topics.txt"
  ensure_lib kafka

  local t0
  t0="$(now)"
  render_server_properties
  format_storage_if_needed

  local heap=()
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  local opts=("${heap[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent
    -XX:+PerfDisableSharedMem -Djava.awt.headless=true
    "-XX:ErrorFile=$LOGS_DIR/hs_err_pid%p.log"
    "-Djava.io.tmpdir=$TMP_DIR"
    "-Dkafka.logs.dir=$LOGS_DIR"
    "-Dlog4j2.configurationFile=file:$ROOT/scripts/conf/kafka-log4j2.properties"
    "$MARKER")
  printf '\n==== %s starting broker on localhost:%s (controller %s)\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" >>"$LOGS_DIR/kafka.out"
  (cd "$KAFKA_DIR" && exec nohup "$JAVA" "${opts[@]}" -cp "$SHOP_LIB_DIR/kafka/*" kafka.Kafka "$SERVER_PROPS") \
    >>"$LOGS_DIR/kafka.out" 2>&1 </dev/null 9>&- &
  pid=$!
  track_started "$pid" "$MARKER" "the Kafka broker" "$PIDFILE"
  printf '%s\n' "$pid" >"$PIDFILE"
  if ! wait_exec "$pid" "$MARKER"; then
    show_log_tail "$LOGS_DIR/kafka.out" 15
    die "the Kafka broker did not start (logs in $LOGS_DIR)."
  fi

  # One JVM, started right away so that compiling it overlaps the broker's start-up: it waits for
  # a real metadata answer from the broker (DescribeCluster), then creates the topics. Meanwhile
  # we watch the broker, to fail fast if it dies.
  tool_jvm_opts
  (cd "$ROOT" && exec "$JAVA" "${TOOL_OPTS[@]}" -cp "$SHOP_LIB_DIR/kafka/*" \
    scripts/tools/CreateTopics.java "localhost:$KAFKA_PORT" scripts/topics.txt \
    --timeout "$KAFKA_START_TIMEOUT") 9>&- &
  local tool_pid=$!
  track_started "$tool_pid" "CreateTopics.java" "the topic creation tool" ""
  wait_exec "$tool_pid" "CreateTopics.java" || true
  while kill -0 "$tool_pid" 2>/dev/null; do
    if ! pid_matches "$pid" "$MARKER"; then
      stop_pid "$tool_pid" "CreateTopics.java" "the topic creation tool" 5 || true
      show_log_tail "$LOGS_DIR/server.log"
      show_log_tail "$LOGS_DIR/kafka.out" 15
      die "the Kafka broker exited during start-up (logs in $LOGS_DIR)."
    fi
    sleep 0.2
  done
  local rc=0
  wait "$tool_pid" || rc=$?
  if ((rc != 0)); then
    pid_matches "$pid" "$MARKER" || show_log_tail "$LOGS_DIR/server.log"
    die "the broker did not become ready within ${KAFKA_START_TIMEOUT}s, or the topics could not be created (logs in $LOGS_DIR)."
  fi
  pid_matches "$pid" "$MARKER" || die "the Kafka broker exited during start-up (logs in $LOGS_DIR)."

  start_succeeded
  info "Kafka broker running on localhost:$KAFKA_PORT (pid $pid), started in $(elapsed_since "$t0") s. Data: $DATA_DIR, logs: $LOGS_DIR"
}

cmd_stop() {
  mkdir -p "$KAFKA_DIR"
  take_lock "$KAFKA_DIR/.lock"
  if stop_pidfile "$PIDFILE" "$MARKER" "the Kafka broker" "$KAFKA_STOP_TIMEOUT"; then
    info "Kafka broker stopped."
  else
    info "Kafka broker is not running (nothing to stop)."
  fi
}

cmd_status() {
  local pid
  if pid="$(pidfile_pid "$PIDFILE" "$MARKER")"; then
    local bootstrap
    bootstrap="$(running_bootstrap)"
    if port_in_use "${bootstrap%%:*}" "${bootstrap##*:}"; then
      info "Kafka broker is running (pid $pid), bootstrap $bootstrap, data $DATA_DIR"
    else
      info "Kafka broker is running (pid $pid) but not accepting connections on $bootstrap yet"
    fi
    exit 0
  fi
  info "Kafka broker is not running."
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
