#!/usr/bin/env bash
# Submits a job jar to the running session cluster, detached (`flink run -d`). Prints the job id.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/submit.sh <job> [--option value ...]

Submits jobs/<job>/target/<job>.jar (built with Maven first if it is missing) to the cluster of
scripts/flink-cluster.sh, detached, and prints the job id on stdout (the CLI's messages go to
stderr). The options go to the job, e.g.
  scripts/submit.sh datagen --count 100 --rate 0
Jobs in this checkout: $(known_jobs).

It uses the config the running cluster was started with (\$SHOP_LOCAL_DIR/flink/conf), so the
cluster's FLINK_REST_PORT is honoured. Client log: \$SHOP_LOCAL_DIR/flink/log/flink-client-<job>.log.

Environment:
  SHOP_LOCAL_DIR  run state of the cluster to submit to (default <repo>/.local)
  SHOP_LIB_DIR    jar cache; the Flink CLI comes from SHOP_LIB_DIR/flink/ (default <repo>/.local/lib)
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

JM_MARKER="$(service_marker flink-jobmanager)"
if ! pidfile_pid "$FLINK_STATE_DIR/jobmanager.pid" "$JM_MARKER" >/dev/null ||
  [[ ! -f "$FLINK_GENERATED_CONF/config.yaml" ]]; then
  die "the Flink cluster (SHOP_LOCAL_DIR=$SHOP_LOCAL_DIR) is not running. Start it with: scripts/flink-cluster.sh start"
fi
REST_PORT="$(sed -n -E 's/^rest\.port:[[:space:]]*//p' "$FLINK_GENERATED_CONF/config.yaml" | tail -n1)"
http_get "http://localhost:$REST_PORT/overview" >/dev/null 2>&1 ||
  die "the Flink cluster's REST API at http://localhost:$REST_PORT does not answer. Check: scripts/flink-cluster.sh status"

require_java
ensure_lib flink
JAR="$(job_jar "$JOB")"

LOG_DIR="$FLINK_STATE_DIR/log"
CLIENT_TMP="$FLINK_STATE_DIR/client-tmp"
mkdir -p "$LOG_DIR" "$CLIENT_TMP" "$FLINK_STATE_DIR/plugins"
java_opts=()
client_opts=()
read -r -a java_opts <<<"$(flink_java_opts "$FLINK_GENERATED_CONF/config.yaml")"
read -r -a client_opts <<<"$(sed -n -E 's/^env\.java\.opts\.client:[[:space:]]*//p' "$FLINK_GENERATED_CONF/config.yaml" | tail -n1)"

OUT="$CLIENT_TMP/submit-$JOB.$$.out"
rc=0
FLINK_CONF_DIR="$FLINK_GENERATED_CONF" FLINK_PLUGINS_DIR="$FLINK_STATE_DIR/plugins" \
  "$JAVA" "${java_opts[@]}" "${client_opts[@]}" -XX:+PerfDisableSharedMem \
  "-Djava.io.tmpdir=$CLIENT_TMP" \
  "-Dlog.file=$LOG_DIR/flink-client-$JOB.log" \
  "-Dlog4j.configurationFile=file:$FLINK_GENERATED_CONF/log4j-cli.properties" \
  -cp "$SHOP_LIB_DIR/flink/*" org.apache.flink.client.cli.CliFrontend run -d "$JAR" "$@" 2>&1 |
  tee "$OUT" >&2 || rc=$?
JOB_ID="$(sed -n -E 's/.*JobID ([0-9a-f]{32}).*/\1/p' "$OUT" | head -n1)"
rm -f -- "$OUT"
if ((rc != 0)) || [[ -z "$JOB_ID" ]]; then
  die "submitting $JOB failed (exit code $rc; client log $LOG_DIR/flink-client-$JOB.log)."
fi
log "$SCRIPT_NAME: $JOB submitted as job $JOB_ID: http://localhost:$REST_PORT/#/job/running/$JOB_ID/overview"
printf '%s\n' "$JOB_ID"
