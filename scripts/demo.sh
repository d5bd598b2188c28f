#!/usr/bin/env bash
# The demo: a local Kafka broker, the data generator and the jobs in embedded Flink, and their
# output topics printed as results arrive. Ctrl-C stops everything it started.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/demo.sh [--duration SECONDS]

Starts a Kafka broker on localhost:\${KAFKA_PORT:-9092} (or uses the one scripts/kafka.sh started),
builds the job jars when the sources changed, runs datagen and every finished job (activity-monitor,
fraud-detection, account-ledger, order-saga, cdc-sync) in embedded Flink (scripts/run-local.sh), one JVM
each, and prints what arrives on the output topics. For cdc-sync it starts the CDC stack
(scripts/cdc.sh: PostgreSQL on localhost:\${CDC_PG_PORT:-5433} and Debezium in Kafka Connect; or uses
the one that runs) and the shop's write load (scripts/shop-load.sh, 20 statements a second), so the
read models follow the database live, and order-saga runs on the orders the outbox publishes
(datagen then leaves orders.events alone); if the stack cannot start, the demo says why and goes on
without it, and order-saga runs on datagen's orders. With the stack, cdc-sync and the ledger also
write their read models into its PostgreSQL (schema read_models), and every 15 s the demo prints a
live SQL query on them (scripts/query.sh). After 2.5 minutes it asks the ledger a time-travel question
(scripts/balance-at.sh): one account's balance as it stood at an instant in the past, next to its
balance now. Ctrl-C, or the end of --duration, stops what the demo started; a broker that was
already running keeps running.

datagen writes $DEMO_RATE records a second to each input topic, $DEMO_TIME_STEP of event time apart,
from a day ago, so event time runs 20 times faster than the clock: a one-minute window closes every
3 seconds. After about 75 minutes event time has caught up with the clock; datagen never writes
future data, so from then on it keeps pace with the clock (a window a minute) and the demo goes on.

The ledger of each demo run keeps its own event store, rejections and balances topics
(bank.account-events.demo-<time> etc.): datagen opens the same account ids in every run, and a
ledger started afresh must not append them to the events of an earlier run.

Logs: \$SHOP_LOCAL_DIR/demo/*.log (the jobs' Flink logs are in \$SHOP_LOCAL_DIR/run-local/).
Environment: KAFKA_PORT, SHOP_LOCAL_DIR, SHOP_LIB_DIR (see scripts/kafka.sh --help),
  DEMO_LINES_PER_SECOND  records shown per topic and second (default 4; the rest are counted)
USAGE
}

DEMO_RATE=100
DEMO_TIME_STEP=200ms
# With this seed the first planted bots come within a minute, so every output shows up soon.
DEMO_SEED=5
DURATION=""
while (($#)); do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --duration)
      [[ "${2:-}" =~ ^[0-9]+$ ]] || die "--duration needs a number of seconds"
      DURATION=$2
      shift 2
      ;;
    *)
      usage >&2
      die "unknown option: $1"
      ;;
  esac
done

KAFKA_PORT="${KAFKA_PORT:-9092}"
BOOTSTRAP="localhost:$KAFKA_PORT"
DEMO_DIR="$SHOP_LOCAL_DIR/demo"
JOBS=(activity-monitor fraud-detection account-ledger order-saga cdc-sync datagen)
# This run's ledger topics; see the help text.
LEDGER_RUN="demo-$(date -u +%Y%m%d%H%M%S)"
LEDGER_EVENTS="bank.account-events.$LEDGER_RUN"
LEDGER_REJECTIONS="bank.command-rejections.$LEDGER_RUN"
LEDGER_BALANCES="bank.balances.$LEDGER_RUN"
OUTPUTS=(activity.page-views activity.event-rates activity.sessions activity.cart-abandonment activity.alerts
  dlq.activity-monitor late.activity-monitor
  fraud.alerts dlq.fraud-detection late.fraud-detection
  "$LEDGER_BALANCES" "$LEDGER_REJECTIONS" dlq.account-ledger
  orders.saga orders.commands orders.payment-latency dlq.order-saga late.order-saga)
mkdir -p "$DEMO_DIR"
require_java

# What the demo started, stopped again in reverse order on any exit.
CHILDREN=()
STARTED_KAFKA=""
STARTED_CDC=""
CDC_RUNNING=""
stop_demo() {
  local rc=$?
  trap - EXIT INT TERM
  local i entry pid what
  for ((i = ${#CHILDREN[@]} - 1; i >= 0; i--)); do
    entry=${CHILDREN[i]}
    pid=${entry%%|*}
    what=${entry#*|}
    if kill -0 "$pid" 2>/dev/null; then
      info "stopping $what (pid $pid) ..."
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for entry in "${CHILDREN[@]}"; do
    pid=${entry%%|*}
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "$STARTED_CDC" ]]; then
    "$ROOT/scripts/cdc.sh" stop || rc=1
  fi
  if [[ -n "$STARTED_KAFKA" ]]; then
    "$ROOT/scripts/kafka.sh" stop || rc=1
  fi
  info "stopped."
  exit "$rc"
}
trap stop_demo EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Job jars, rebuilt when a source of the job or of the shared model is newer than the jar.
stale=()
for job in "${JOBS[@]}"; do
  jar="$ROOT/jobs/$job/target/$job.jar"
  if [[ ! -f "$jar" ]] ||
    [[ -n "$(find "$ROOT/jobs/$job/src/main" "$ROOT/jobs/$job/pom.xml" "$ROOT/shared-model/src/main" "$ROOT/pom.xml" -newer "$jar" -print -quit)" ]]; then
    stale+=("jobs/$job")
  fi
done
if ((${#stale[@]})); then
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build ${stale[*]}."
  info "building ${stale[*]} (mvn package, tests skipped) ..."
  (cd "$ROOT" && mvn -B -q package -DskipTests -Dspotless.check.skip=true -pl "$(
    IFS=,
    echo "${stale[*]}"
  )" -am) || die "the build failed (see above)."
fi

# 2. The broker: ours if it already runs, else started now and stopped at the end.
if "$ROOT/scripts/kafka.sh" status >/dev/null 2>&1; then
  info "using the Kafka broker that already runs on $BOOTSTRAP."
else
  "$ROOT/scripts/kafka.sh" start
  STARTED_KAFKA=1
fi
ensure_lib kafka
printf '%s 4 retention.ms=-1\n%s 4\n%s 4 cleanup.policy=compact\n' \
  "$LEDGER_EVENTS" "$LEDGER_REJECTIONS" "$LEDGER_BALANCES" >"$DEMO_DIR/ledger-topics.txt"
(cd "$ROOT" && "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+PerfDisableSharedMem \
  -cp "$SHOP_LIB_DIR/kafka/*" scripts/tools/CreateTopics.java "$BOOTSTRAP" "$DEMO_DIR/ledger-topics.txt") \
  >"$DEMO_DIR/ledger-topics.log" 2>&1 || {
  show_log_tail "$DEMO_DIR/ledger-topics.log" 20
  die "could not create the ledger's topics"
}

# 2b. The CDC stack for cdc-sync: ours if it already runs, else started now and stopped at the end.
export CDC_BOOTSTRAP_SERVERS="$BOOTSTRAP"
if "$ROOT/scripts/cdc.sh" status >/dev/null 2>&1; then
  info "using the CDC stack that already runs."
  CDC_RUNNING=1
elif "$ROOT/scripts/cdc.sh" start >"$DEMO_DIR/cdc.log" 2>&1; then
  STARTED_CDC=1
  CDC_RUNNING=1
  info "CDC stack started (log: $DEMO_DIR/cdc.log)."
else
  show_log_tail "$DEMO_DIR/cdc.log" 10
  info "the CDC stack did not start (see above): the demo goes on without cdc-sync."
fi
# With the CDC stack, orders.events is the real outbox of the shop's database and datagen leaves it
# alone: the outbox's event times are the clock's, datagen's a day back, and mixed in one topic the
# outbox's would carry every partition's watermark past datagen's sagas (which would all time out).
DATAGEN_TOPICS=(--topics transactions,logins,clickstream,account-commands,order-events)
if [[ -n "$CDC_RUNNING" ]]; then
  OUTPUTS+=(cdc.orders-enriched cdc.sales-by-category cdc.customer-summary dlq.cdc-sync)
  DATAGEN_TOPICS=(--topics transactions,logins,clickstream,account-commands)
fi

# 3. The watcher first, so it sees every result; then the job, reading from now on; then the data.
start_child() { # what logfile command...
  local what=$1 logfile=$2
  shift 2
  "$@" >"$logfile" 2>&1 </dev/null &
  CHILDREN+=("$!|$what")
}
(cd "$ROOT" && exec "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+PerfDisableSharedMem \
  -cp "$SHOP_LIB_DIR/kafka/*" scripts/tools/WatchTopics.java \
  --per-second "${DEMO_LINES_PER_SECOND:-4}" "$BOOTSTRAP" "${OUTPUTS[@]}") </dev/null &
CHILDREN+=("$!|the topic watcher")

from="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# Event time starts a day back: 20 times faster than the clock, it reaches now after ~75 min.
event_start="$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)"
start_child "activity-monitor" "$DEMO_DIR/activity-monitor.log" \
  "$ROOT/scripts/run-local.sh" activity-monitor --bootstrap-servers "$BOOTSTRAP" \
  --starting-offsets "$from" --checkpoint-interval 2s --job-name activity-monitor-demo
start_child "fraud-detection" "$DEMO_DIR/fraud-detection.log" \
  "$ROOT/scripts/run-local.sh" fraud-detection --bootstrap-servers "$BOOTSTRAP" \
  --starting-offsets "$from" --checkpoint-interval 2s --job-name fraud-detection-demo
# With the CDC stack, its PostgreSQL also holds the read models as tables (the query side of CQRS);
# the password comes from the environment, never from the command line.
READ_MODEL_TABLES=()
if [[ -n "$CDC_RUNNING" ]]; then
  export SHOP_READ_MODEL_PASSWORD="${SHOP_READ_MODEL_PASSWORD:-shop}"
  READ_MODEL_TABLES=(--read-model-jdbc-url "jdbc:postgresql://localhost:${CDC_PG_PORT:-5433}/shop")
fi
start_child "account-ledger" "$DEMO_DIR/account-ledger.log" \
  "$ROOT/scripts/run-local.sh" account-ledger --bootstrap-servers "$BOOTSTRAP" \
  --starting-offsets "$from" --checkpoint-interval 2s --job-name "account-ledger-$LEDGER_RUN" \
  --topic.account-events "$LEDGER_EVENTS" --topic.command-rejections "$LEDGER_REJECTIONS" \
  --topic.balances "$LEDGER_BALANCES" "${READ_MODEL_TABLES[@]}"
start_child "order-saga" "$DEMO_DIR/order-saga.log" \
  "$ROOT/scripts/run-local.sh" order-saga --bootstrap-servers "$BOOTSTRAP" \
  --starting-offsets "$from" --checkpoint-interval 2s --job-name order-saga-demo
if [[ -n "$CDC_RUNNING" ]]; then
  # From the start of the change topics: the read models begin with the snapshot of the tables.
  start_child "cdc-sync" "$DEMO_DIR/cdc-sync.log" \
    "$ROOT/scripts/run-local.sh" cdc-sync --bootstrap-servers "$BOOTSTRAP" \
    --starting-offsets earliest --checkpoint-interval 2s --job-name "cdc-sync-$LEDGER_RUN" \
    "${READ_MODEL_TABLES[@]}"
  start_child "shop-load" "$DEMO_DIR/shop-load.log" "$ROOT/scripts/shop-load.sh" --rate 20
fi
start_child "datagen" "$DEMO_DIR/datagen.log" \
  "$ROOT/scripts/run-local.sh" datagen --bootstrap-servers "$BOOTSTRAP" "${DATAGEN_TOPICS[@]}" \
  --rate "$DEMO_RATE" --time-step "$DEMO_TIME_STEP" --fraud-share 0.05 --bad-share 0.002 --late-share 0.002 \
  --seed "$DEMO_SEED" --start-time "$event_start" --checkpoint-interval 2s --job-name datagen-demo

info "datagen, activity-monitor, fraud-detection, account-ledger, order-saga${CDC_RUNNING:+, cdc-sync (with a write load on the database)} are starting (logs in $DEMO_DIR); the first results follow in about 20 s."
info "Ctrl-C stops the demo${DURATION:+; it stops by itself after $DURATION s}."

# The time-travel question, once the ledger has a few minutes of event time: an account in the
# middle of its life (datagen's accounts live about 13 s of event time each, in blocks of 64
# commands, 12.8 s apart) at an instant 4 min 56 s after the start of event time, in the middle of that account's life.
# After the first live SQL queries (the replay blocks this loop for a while on a busy machine).
TIME_TRAVEL_AT=$((SECONDS + 150))
time_travel() {
  local account=acc-23-0 instant
  instant="$(date -u -d "$event_start + 296 seconds" +%Y-%m-%dT%H:%M:%SZ)"
  info "time travel: what was $account's balance at $instant? (a replay of the event store, ~20 s) ..."
  local then now
  if then="$("$ROOT/scripts/balance-at.sh" "$account" "$instant" --bootstrap-servers "$BOOTSTRAP" \
    --topic.account-events "$LEDGER_EVENTS" 2>"$DEMO_DIR/balance-at.log" | tail -n1)"; then
    info "  $account at $instant: $then"
  else
    info "  $account had no balance at $instant (see $DEMO_DIR/balance-at.log)"
  fi
  now="$(cd "$ROOT" && "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+PerfDisableSharedMem \
    -cp "$SHOP_LIB_DIR/kafka/*" scripts/tools/LatestValue.java "$BOOTSTRAP" "$LEDGER_BALANCES" "$account" 2>/dev/null)" ||
    now="(none yet)"
  info "  $account now: $now"
}

# Every 15 s, with the CDC stack: a live SQL query on the read-model tables.
NEXT_QUERY_AT=$((SECONDS + 45))
live_query() {
  local out
  for q in top-categories balances; do
    if out="$("$ROOT/scripts/query.sh" "$q" 2>&1)"; then
      info "SQL on the read-model tables (scripts/query.sh $q):"
      printf '%s\n' "$out" | sed 's/^/    /'
    else
      info "scripts/query.sh $q: $(printf '%s' "$out" | tail -n1)"
    fi
  done
}

# 4. Until Ctrl-C or the end of --duration; a job that dies ends the demo with its log.
deadline=$((SECONDS + ${DURATION:-0}))
while [[ -z "$DURATION" ]] || ((SECONDS < deadline)); do
  for entry in "${CHILDREN[@]}"; do
    pid=${entry%%|*}
    if ! kill -0 "$pid" 2>/dev/null; then
      what=${entry#*|}
      [[ ! -f "$DEMO_DIR/$what.log" ]] || show_log_tail "$DEMO_DIR/$what.log" 30
      die "$what stopped unexpectedly."
    fi
  done
  if [[ -n "$CDC_RUNNING" ]] && ((SECONDS >= NEXT_QUERY_AT)); then
    NEXT_QUERY_AT=$((SECONDS + 15))
    live_query
  fi
  if [[ -n "$TIME_TRAVEL_AT" ]] && ((SECONDS >= TIME_TRAVEL_AT)); then
    TIME_TRAVEL_AT=""
    time_travel
  fi
  sleep 1
done
