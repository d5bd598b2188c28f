#!/usr/bin/env bash
# Runs one job in an embedded local Flink (a MiniCluster inside this one JVM), in the foreground.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/run-local.sh <job> [--resume latest|<path>] [--option value ...]

Runs jobs/<job>/target/<job>.jar (built with Maven first if it is missing) in an embedded Flink,
in the foreground; Ctrl-C stops it. The options go to the job, e.g.
  scripts/run-local.sh activity-monitor --bootstrap-servers localhost:9092 --starting-offsets earliest
Jobs in this checkout: $(known_jobs).

The console shows warnings and errors only; the full log is \$SHOP_LOCAL_DIR/run-local/<job>.log.

Checkpoints go to \$SHOP_LOCAL_DIR/run-local/checkpoints/<name>/<flink job id>/chk-<n>, where
<name> is the --job-name given, else the job; they are kept when the job stops (Ctrl-C).
  --resume latest   start from the newest complete checkpoint (a chk-* with a _metadata file) there
  --resume <path>   start from that checkpoint or savepoint directory

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

# --resume is ours; every other argument goes to the job. The run's name, for its checkpoint
# directory, is the job's --job-name when given.
RESUME=""
RUN_NAME="$JOB"
job_args=()
while (($# > 0)); do
  case "$1" in
    --resume)
      (($# >= 2)) || die "--resume needs 'latest' or a checkpoint or savepoint path"
      RESUME=$2
      shift 2
      ;;
    --resume=*)
      RESUME=${1#--resume=}
      shift
      ;;
    --job-name)
      (($# >= 2)) || die "--job-name needs a name"
      RUN_NAME=$2
      job_args+=("$1" "$2")
      shift 2
      ;;
    --job-name=*)
      RUN_NAME=${1#--job-name=}
      job_args+=("$1")
      shift
      ;;
    *)
      job_args+=("$1")
      shift
      ;;
  esac
done

require_java
ensure_lib flink
JAR="$(job_jar "$JOB")"
MAIN_CLASS="$(jar_main_class "$JAR")"
[[ -n "$MAIN_CLASS" ]] || die "$JAR has no Main-Class in its manifest."

RUN_DIR="$SHOP_LOCAL_DIR/run-local"
mkdir -p "$RUN_DIR/tmp"
LOG_FILE="$RUN_DIR/$JOB.log"
CHECKPOINT_DIR="$RUN_DIR/checkpoints/${RUN_NAME//[^A-Za-z0-9._-]/_}"
mkdir -p "$CHECKPOINT_DIR"

# latest_checkpoint dir : the newest chk-* directory under dir that has a _metadata file (only a
# completed checkpoint has one).
latest_checkpoint() {
  find "$1" -mindepth 3 -maxdepth 3 -path '*/chk-*/_metadata' -type f -printf '%T@ %h\n' 2>/dev/null |
    sort -n | tail -n1 | cut -d' ' -f2-
}

recovery_args=()
case "$RESUME" in
  "") ;;
  latest)
    RESTORE_FROM="$(latest_checkpoint "$CHECKPOINT_DIR")"
    [[ -n "$RESTORE_FROM" ]] || die "--resume latest: no completed checkpoint under $CHECKPOINT_DIR"
    recovery_args=(--restore-from "$RESTORE_FROM")
    ;;
  *)
    [[ -e "$RESUME" ]] || die "--resume $RESUME: no such checkpoint or savepoint"
    RESTORE_FROM="$(cd "$(dirname "$RESUME")" && pwd -P)/$(basename "$RESUME")"
    recovery_args=(--restore-from "$RESTORE_FROM")
    ;;
esac
if [[ -n "$RESUME" ]]; then
  log "$SCRIPT_NAME: resuming from $RESTORE_FROM"
fi

# Run a copy of the jar, named by its content: a build that replaces jobs/<job>/target/<job>.jar
# while the job runs would otherwise break its class loading (ClassNotFoundException, seen when
# the demo ran during a build).
JAR_COPY="$RUN_DIR/jars/$JOB-$(cksum <"$JAR" | cut -d' ' -f1).jar"
if [[ ! -f "$JAR_COPY" ]]; then
  mkdir -p "$RUN_DIR/jars"
  cp -- "$JAR" "$JAR_COPY.tmp.$$" && mv -f -- "$JAR_COPY.tmp.$$" "$JAR_COPY"
fi
JAR="$JAR_COPY"

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
  -cp "$JAR:$SHOP_LIB_DIR/flink/*" "$MAIN_CLASS" \
  --checkpoint-dir "file://$CHECKPOINT_DIR" "${recovery_args[@]}" "${job_args[@]}"
