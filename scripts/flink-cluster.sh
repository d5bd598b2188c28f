#!/usr/bin/env bash
# A real standalone Flink session cluster on localhost (one job manager, one task manager),
# run from the jars Maven fetches (flink-dist is not published; these jars are enough).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/flink-cluster.sh start|stop|status|start-taskmanager

  start   generate the config, start the job manager and a task manager in the background and
          wait until the REST API reports the task manager. Prints the start-up time.
  stop    stop the processes this script started (task manager first; SIGTERM, then SIGKILL
          after ${FLINK_STOP_TIMEOUT:-30} s).
  status  print whether the cluster runs; exit 0 if it does, 3 if not.
  start-taskmanager
          start a new task manager for the running job manager, after the last one died (a
          crash, a kill -9); waits until it has registered. Its jobs then restart on it.

Environment:
  FLINK_REST_PORT      REST API and web UI on localhost   (default 8081)
  FLINK_RPC_PORT       job manager RPC port on localhost  (default 6123)
  FLINK_JM_METRICS_PORT  Prometheus metrics of the job manager  (default 9249)
  FLINK_TM_METRICS_PORT  Prometheus metrics of the task manager (default 9250)
  FLINK_START_TIMEOUT  seconds to wait for the cluster    (default 90)
  SHOP_LOCAL_DIR       run state; the cluster uses SHOP_LOCAL_DIR/flink/ (default <repo>/.local)
  SHOP_LIB_DIR         jar cache; the cluster uses SHOP_LIB_DIR/flink/   (default <repo>/.local/lib)

Files: the effective config is flink-conf/* plus the ports and state directories, generated into
\$SHOP_LOCAL_DIR/flink/conf (scripts/submit.sh uses it); logs in \$SHOP_LOCAL_DIR/flink/log;
checkpoints and savepoints in \$SHOP_LOCAL_DIR/flink/{checkpoints,savepoints}.
USAGE
}

FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"
FLINK_JM_METRICS_PORT="${FLINK_JM_METRICS_PORT:-9249}"
FLINK_TM_METRICS_PORT="${FLINK_TM_METRICS_PORT:-9250}"
FLINK_START_TIMEOUT="${FLINK_START_TIMEOUT:-90}"
FLINK_STOP_TIMEOUT="${FLINK_STOP_TIMEOUT:-30}"

LOG_DIR="$FLINK_STATE_DIR/log"
TMP_DIR="$FLINK_STATE_DIR/tmp"
JM_PIDFILE="$FLINK_STATE_DIR/jobmanager.pid"
TM_PIDFILE="$FLINK_STATE_DIR/taskmanager.pid"
JM_MARKER="$(service_marker flink-jobmanager)"
TM_MARKER="$(service_marker flink-taskmanager)"
JM_MAIN=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_MAIN=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

# The REST port the running cluster was started with (from its generated config).
running_rest_port() {
  sed -n -E 's/^rest\.port:[[:space:]]*//p' "$FLINK_GENERATED_CONF/config.yaml" 2>/dev/null | tail -n1
}

yaml_quote() {
  local s=${1//\'/\'\'}
  printf "'%s'" "$s"
}

# flink-conf/* + the keys this script owns, into $SHOP_LOCAL_DIR/flink/conf.
generate_conf() {
  [[ -f "$FLINK_CONF_SRC/config.yaml" ]] || die "missing $FLINK_CONF_SRC/config.yaml"
  rm -rf -- "$FLINK_GENERATED_CONF"
  mkdir -p "$FLINK_GENERATED_CONF"
  cp -R -- "$FLINK_CONF_SRC"/. "$FLINK_GENERATED_CONF"/
  local owned='^(rest\.port|jobmanager\.rpc\.port|execution\.checkpointing\.dir|execution\.checkpointing\.savepoint-dir|io\.tmp\.dirs):'
  {
    grep -v -E "$owned" "$FLINK_CONF_SRC/config.yaml" || true
    printf '\n# ---- set by scripts/flink-cluster.sh at %s ----\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'rest.port: %s\n' "$FLINK_REST_PORT"
    printf 'jobmanager.rpc.port: %s\n' "$FLINK_RPC_PORT"
    printf 'execution.checkpointing.dir: %s\n' "$(yaml_quote "file://$FLINK_STATE_DIR/checkpoints")"
    printf 'execution.checkpointing.savepoint-dir: %s\n' "$(yaml_quote "file://$FLINK_STATE_DIR/savepoints")"
    printf 'io.tmp.dirs: %s\n' "$(yaml_quote "$TMP_DIR")"
  } >"$FLINK_GENERATED_CONF/config.yaml"
}

# resource_params JM|TM outfile : BashJavaUtils prints two lines, the JVM memory flags and the
# dynamic properties (-D key=value) that the process must receive.
start_resource_params() {
  local which=$1 out=$2
  "$JAVA" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+PerfDisableSharedMem \
    "-Djava.io.tmpdir=$TMP_DIR" "-Dlog.file=$LOG_DIR/bash-java-utils.log" \
    "-Dlog4j.configurationFile=file:$FLINK_GENERATED_CONF/log4j-cli.properties" \
    -cp "$SHOP_LIB_DIR/flink/*" org.apache.flink.runtime.util.bash.BashJavaUtils \
    "GET_${which}_RESOURCE_PARAMS" --configDir "$FLINK_GENERATED_CONF" >"$out" 2>&1 9>&-
}

# read_params outfile : sets JVM_PARAMS and DYNAMIC_PARAMS (arrays) from BashJavaUtils output.
read_params() {
  local out=$1 results=()
  mapfile -t results < <(sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' "$out")
  if ((${#results[@]} != 2)); then
    cat "$out" >&2
    die "could not compute the memory settings from $FLINK_GENERATED_CONF/config.yaml (see above)."
  fi
  read -r -a JVM_PARAMS <<<"${results[0]}"
  read -r -a DYNAMIC_PARAMS <<<"${results[1]}"
}

# launch jobmanager|taskmanager main marker pidfile metrics_port : start one cluster process in
# the background.
launch() {
  local role=$1 main=$2 marker=$3 pidfile=$4 metrics_port=$5
  local java_opts=() role_opts=()
  read -r -a java_opts <<<"$(flink_java_opts "$FLINK_GENERATED_CONF/config.yaml")"
  read -r -a role_opts <<<"$(sed -n -E "s/^env\.java\.opts\.$role:[[:space:]]*//p" "$FLINK_GENERATED_CONF/config.yaml" | tail -n1)"
  local log="$LOG_DIR/flink-$role.log" out="$LOG_DIR/flink-$role.out"
  printf '\n==== %s starting %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$role" >>"$out"
  (cd "$FLINK_STATE_DIR" && FLINK_PLUGINS_DIR="$FLINK_STATE_DIR/plugins" FLINK_CONF_DIR="$FLINK_GENERATED_CONF" exec nohup "$JAVA" "${JVM_PARAMS[@]}" "${java_opts[@]}" "${role_opts[@]}" \
    -XX:+PerfDisableSharedMem "-XX:ErrorFile=$LOG_DIR/hs_err_pid%p.log" \
    "-Djava.io.tmpdir=$TMP_DIR" \
    "-Dlog.file=$log" \
    "-Dlog4j.configuration=file:$FLINK_GENERATED_CONF/log4j.properties" \
    "-Dlog4j.configurationFile=file:$FLINK_GENERATED_CONF/log4j.properties" \
    "$marker" \
    -cp "$SHOP_LIB_DIR/flink/*" "$main" --configDir "$FLINK_GENERATED_CONF" "${DYNAMIC_PARAMS[@]}" \
    -D "metrics.reporter.prom.port=$metrics_port") \
    >>"$out" 2>&1 </dev/null 9>&- &
  local pid=$!
  track_started "$pid" "$marker" "the Flink $role" "$pidfile"
  printf '%s\n' "$pid" >"$pidfile"
  if ! wait_exec "$pid" "$marker"; then
    show_log_tail "$out" 15
    die "the Flink $role did not start (logs in $LOG_DIR)."
  fi
  LAUNCHED_PID=$pid
}

overview_json() {
  http_get "http://localhost:$1/overview" 2>/dev/null
}

json_number() { # json key
  sed -n -E "s/.*\"$2\":([0-9]+).*/\1/p" <<<"$1"
}

cmd_start() {
  require_java
  mkdir -p "$FLINK_STATE_DIR" "$LOG_DIR" "$TMP_DIR" "$FLINK_STATE_DIR/checkpoints" "$FLINK_STATE_DIR/savepoints"
  take_lock "$FLINK_STATE_DIR/.lock"
  local jm_pid tm_pid
  if jm_pid="$(pidfile_pid "$JM_PIDFILE" "$JM_MARKER")"; then
    die "the Flink cluster is already running (job manager pid $jm_pid, http://localhost:$(running_rest_port)). Use 'scripts/flink-cluster.sh stop' first."
  fi
  if tm_pid="$(pidfile_pid "$TM_PIDFILE" "$TM_MARKER")"; then
    die "a Flink task manager of an earlier start still runs (pid $tm_pid) without its job manager. Use 'scripts/flink-cluster.sh stop' first."
  fi
  [[ "$FLINK_REST_PORT" != "$FLINK_RPC_PORT" ]] || die "FLINK_REST_PORT and FLINK_RPC_PORT must differ (both $FLINK_REST_PORT)."
  require_port_free localhost "$FLINK_REST_PORT" "Flink REST API / web UI, FLINK_REST_PORT"
  require_port_free localhost "$FLINK_RPC_PORT" "Flink job manager RPC, FLINK_RPC_PORT"
  local cluster_ports=("$FLINK_REST_PORT" "$FLINK_RPC_PORT" "$FLINK_JM_METRICS_PORT" "$FLINK_TM_METRICS_PORT")
  [[ "$(printf '%s\n' "${cluster_ports[@]}" | sort -u | wc -l)" == 4 ]] ||
    die "FLINK_REST_PORT, FLINK_RPC_PORT, FLINK_JM_METRICS_PORT and FLINK_TM_METRICS_PORT must all differ (${cluster_ports[*]})."
  require_port_free localhost "$FLINK_JM_METRICS_PORT" "Prometheus metrics of the job manager, FLINK_JM_METRICS_PORT"
  require_port_free localhost "$FLINK_TM_METRICS_PORT" "Prometheus metrics of the task manager, FLINK_TM_METRICS_PORT"
  ensure_lib flink

  local t0
  t0="$(now)"
  # Nothing of ours runs (checked above): what is left in tmp/ belongs to processes that are gone.
  find "$TMP_DIR" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} + 2>/dev/null || true
  mkdir -p "$FLINK_STATE_DIR/plugins"
  generate_conf

  # Both memory calculations at once (each is a short JVM).
  local jm_out="$TMP_DIR/jm-params.out" tm_out="$TMP_DIR/tm-params.out"
  start_resource_params JM "$jm_out" &
  local jm_calc=$!
  start_resource_params TM "$tm_out" &
  local tm_calc=$!
  wait "$jm_calc" || {
    cat "$jm_out" >&2
    die "BashJavaUtils GET_JM_RESOURCE_PARAMS failed (see above)."
  }
  wait "$tm_calc" || {
    cat "$tm_out" >&2
    die "BashJavaUtils GET_TM_RESOURCE_PARAMS failed (see above)."
  }

  read_params "$jm_out"
  launch jobmanager "$JM_MAIN" "$JM_MARKER" "$JM_PIDFILE" "$FLINK_JM_METRICS_PORT"
  jm_pid=$LAUNCHED_PID
  read_params "$tm_out"
  launch taskmanager "$TM_MAIN" "$TM_MARKER" "$TM_PIDFILE" "$FLINK_TM_METRICS_PORT"
  tm_pid=$LAUNCHED_PID

  # Ready = the REST API answers /overview and counts our task manager.
  local deadline=$((SECONDS + FLINK_START_TIMEOUT)) json="" tms="" slots=""
  while :; do
    if ! pid_matches "$jm_pid" "$JM_MARKER"; then
      show_log_tail "$LOG_DIR/flink-jobmanager.log"
      show_log_tail "$LOG_DIR/flink-jobmanager.out" 15
      die "the Flink job manager exited during start-up (logs in $LOG_DIR)."
    fi
    if ! pid_matches "$tm_pid" "$TM_MARKER"; then
      show_log_tail "$LOG_DIR/flink-taskmanager.log"
      show_log_tail "$LOG_DIR/flink-taskmanager.out" 15
      die "the Flink task manager exited during start-up (logs in $LOG_DIR)."
    fi
    if json="$(overview_json "$FLINK_REST_PORT")"; then
      tms="$(json_number "$json" taskmanagers)"
      slots="$(json_number "$json" slots-total)"
      [[ -n "$tms" && -n "$slots" ]] && ((tms >= 1 && slots >= 1)) && break
    fi
    ((SECONDS < deadline)) || die "the Flink cluster did not report a task manager on http://localhost:$FLINK_REST_PORT/overview within ${FLINK_START_TIMEOUT}s (logs in $LOG_DIR)."
    sleep 0.25
  done

  start_succeeded
  info "Flink cluster running: web UI http://localhost:$FLINK_REST_PORT (job manager pid $jm_pid, task manager pid $tm_pid, $(json_number "$json" slots-total) slots), started in $(elapsed_since "$t0") s. Metrics: http://localhost:$FLINK_JM_METRICS_PORT/metrics (job manager), http://localhost:$FLINK_TM_METRICS_PORT/metrics (task manager). Logs: $LOG_DIR"
}

# The ids of the task managers the REST API lists, one per line.
taskmanager_ids() {
  http_get "http://localhost:$1/taskmanagers" 2>/dev/null | grep -o '"id":"[^"]*"' || true
}

cmd_start_taskmanager() {
  require_java
  mkdir -p "$FLINK_STATE_DIR" "$LOG_DIR" "$TMP_DIR"
  take_lock "$FLINK_STATE_DIR/.lock"
  local jm_pid tm_pid port
  jm_pid="$(pidfile_pid "$JM_PIDFILE" "$JM_MARKER")" ||
    die "the Flink job manager is not running: use 'scripts/flink-cluster.sh start'."
  if tm_pid="$(pidfile_pid "$TM_PIDFILE" "$TM_MARKER")"; then
    die "a Flink task manager already runs (pid $tm_pid)."
  fi
  [[ -f "$FLINK_GENERATED_CONF/config.yaml" ]] || die "missing $FLINK_GENERATED_CONF/config.yaml: start the cluster with 'scripts/flink-cluster.sh start'."
  require_port_free localhost "$FLINK_TM_METRICS_PORT" "Prometheus metrics of the task manager, FLINK_TM_METRICS_PORT"
  port="$(running_rest_port)"
  local t0 before
  t0="$(now)"
  before="$(taskmanager_ids "$port")"
  local tm_out="$TMP_DIR/tm-params.out"
  start_resource_params TM "$tm_out" || {
    cat "$tm_out" >&2
    die "BashJavaUtils GET_TM_RESOURCE_PARAMS failed (see above)."
  }
  read_params "$tm_out"
  launch taskmanager "$TM_MAIN" "$TM_MARKER" "$TM_PIDFILE" "$FLINK_TM_METRICS_PORT"
  tm_pid=$LAUNCHED_PID
  # Ready = the REST API lists a task manager it did not list before.
  local deadline=$((SECONDS + FLINK_START_TIMEOUT)) id
  while :; do
    if ! pid_matches "$tm_pid" "$TM_MARKER"; then
      show_log_tail "$LOG_DIR/flink-taskmanager.log"
      die "the Flink task manager exited during start-up (logs in $LOG_DIR)."
    fi
    while read -r id; do
      [[ -n "$id" ]] && ! grep -qxF -- "$id" <<<"$before" && break 2
    done < <(taskmanager_ids "$port")
    ((SECONDS < deadline)) || die "the new task manager did not register with the job manager on http://localhost:$port within ${FLINK_START_TIMEOUT}s (logs in $LOG_DIR)."
    sleep 0.25
  done
  start_succeeded
  info "Flink task manager running (pid $tm_pid), registered in $(elapsed_since "$t0") s."
}

cmd_stop() {
  mkdir -p "$FLINK_STATE_DIR"
  take_lock "$FLINK_STATE_DIR/.lock"
  local stopped=""
  if stop_pidfile "$TM_PIDFILE" "$TM_MARKER" "the Flink task manager" "$FLINK_STOP_TIMEOUT"; then
    stopped=1
  fi
  if stop_pidfile "$JM_PIDFILE" "$JM_MARKER" "the Flink job manager" "$FLINK_STOP_TIMEOUT"; then
    stopped=1
  fi
  if [[ -n "$stopped" ]]; then
    info "Flink cluster stopped."
  else
    info "Flink cluster is not running (nothing to stop)."
  fi
}

cmd_status() {
  local jm_pid="" tm_pid=""
  jm_pid="$(pidfile_pid "$JM_PIDFILE" "$JM_MARKER")" || jm_pid=""
  tm_pid="$(pidfile_pid "$TM_PIDFILE" "$TM_MARKER")" || tm_pid=""
  if [[ -z "$jm_pid" && -z "$tm_pid" ]]; then
    info "Flink cluster is not running."
    exit 3
  fi
  if [[ -z "$jm_pid" || -z "$tm_pid" ]]; then
    local jm_state="not running" tm_state="not running"
    [[ -z "$jm_pid" ]] || jm_state="running (pid $jm_pid)"
    [[ -z "$tm_pid" ]] || tm_state="running (pid $tm_pid)"
    info "Flink cluster is not running properly: job manager $jm_state, task manager $tm_state. Run 'scripts/flink-cluster.sh stop' and start it again."
    exit 3
  fi
  local port json
  port="$(running_rest_port)"
  if json="$(overview_json "$port")"; then
    info "Flink cluster is running: web UI http://localhost:$port, job manager pid $jm_pid, task manager pid $tm_pid; $(json_number "$json" taskmanagers) task manager(s), $(json_number "$json" slots-available)/$(json_number "$json" slots-total) slots free, $(json_number "$json" jobs-running) job(s) running."
  else
    info "Flink cluster processes are running (job manager pid $jm_pid, task manager pid $tm_pid) but http://localhost:$port/overview does not answer yet."
  fi
  exit 0
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  start-taskmanager) cmd_start_taskmanager ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) usage >&2; die "unknown command '$1'" ;;
esac
