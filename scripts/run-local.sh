#!/usr/bin/env bash
# Runs one job in an embedded local Flink (a MiniCluster inside this one JVM), in the foreground.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/run-local.sh <job> [--option value ...]

Runs jobs/<job>/target/<job>.jar (built with Maven first if it is missing) in an embedded Flink,
in the foreground; Ctrl-C stops it. The options go to the job, e.g.
  scripts/run-local.sh activity-monitor --bootstrap-servers localhost:9092 --starting-offsets earliest
Jobs in this checkout: $(known_jobs).

The console shows warnings and errors only; the full log is \$SHOP_LOCAL_DIR/run-local/<job>.log.

Environment:
  RUN_LOCAL_JAVA_OPTS  extra JVM options (default "-Xmx1g")
  SHOP_LOCAL_DIR       run state (default <repo>/.local)
  SHOP_LIB_DIR         jar cache; the Flink jars come from SHOP_LIB_DIR/flink/ (default <repo>/.local/lib)
USAGE
}

case "${1:-}" in
  -h | --help | help)
    usage
    exit 0
    ;;
  "")
    usage >&2
    exit 2
    ;;
esac
JOB=$1
shift

require_java
ensure_lib flink
JAR="$(job_jar "$JOB")"
MAIN_CLASS="$(jar_main_class "$JAR")"
[[ -n "$MAIN_CLASS" ]] || die "$JAR has no Main-Class in its manifest."

RUN_DIR="$SHOP_LOCAL_DIR/run-local"
mkdir -p "$RUN_DIR/tmp"
LOG_FILE="$RUN_DIR/$JOB.log"

java_opts=()
extra_opts=()
read -r -a java_opts <<<"$(flink_java_opts "$FLINK_CONF_SRC/config.yaml")"
read -r -a extra_opts <<<"${RUN_LOCAL_JAVA_OPTS:--Xmx1g}"

log "$SCRIPT_NAME: running $JOB ($MAIN_CLASS) in an embedded Flink; log: $LOG_FILE; Ctrl-C stops it."
cd "$RUN_DIR"
# exec: the JVM takes over this process, so Ctrl-C (SIGINT) reaches it directly.
exec "$JAVA" "${java_opts[@]}" "${extra_opts[@]}" -XX:+PerfDisableSharedMem \
  "-XX:ErrorFile=$RUN_DIR/hs_err_pid%p.log" \
  "-Djava.io.tmpdir=$RUN_DIR/tmp" \
  "-Dlog.file=$LOG_FILE" \
  "-Dlog4j.configurationFile=file:$FLINK_CONF_SRC/log4j-cli.properties" \
  -cp "$JAR:$SHOP_LIB_DIR/flink/*" "$MAIN_CLASS" "$@"
