#!/usr/bin/env bash
# Time travel for one account: its balance as it stood at an instant, rebuilt from the event store.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/balance-at.sh <accountId> <instant> [--bootstrap-servers HOST:PORT] [--topic.account-events TOPIC]

Prints the balance of <accountId> as it stood at <instant> (ISO-8601, e.g. 2026-11-30T12:00:00Z):
the ledger's time travel. It creates a fresh topic bank.balances.at-<instant>-<n>, runs
account-ledger in an embedded Flink (scripts/run-local.sh) with
  --replay-until <instant> --bounded true --starting-offsets earliest --topic.balances <that topic>
which folds the event store (bank.account-events) alone into the balances at that instant, and
prints the account's record there as JSON. Exit code 3 when the account had no event by then.
The topic is kept, so the balances of every other account at that instant can be read from it too.

Needs the broker of scripts/kafka.sh (or --bootstrap-servers) and a ledger that has run.
Example, noon yesterday:
  scripts/balance-at.sh acc-0-3 "\$(date -u -d 'yesterday 12:00' +%Y-%m-%dT%H:%M:%SZ)"

Log of the replay: \$SHOP_LOCAL_DIR/balance-at/replay.log.
USAGE
}

case "${1:-}" in
  -h | --help)
    usage
    exit 0
    ;;
esac
(($# >= 2)) || {
  usage >&2
  exit 2
}
ACCOUNT=$1
INSTANT=$2
shift 2
BOOTSTRAP="localhost:${KAFKA_PORT:-9092}"
extra=()
while (($#)); do
  case "$1" in
    --bootstrap-servers)
      (($# >= 2)) || die "--bootstrap-servers needs host:port"
      BOOTSTRAP=$2
      shift 2
      ;;
    --topic.account-events)
      (($# >= 2)) || die "--topic.account-events needs a topic"
      extra+=("$1" "$2")
      shift 2
      ;;
    *)
      usage >&2
      die "unknown option: $1"
      ;;
  esac
done
[[ -n "$ACCOUNT" ]] || die "the accountId is empty"
[[ "$INSTANT" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?Z$ ]] ||
  die "'$INSTANT' is not an ISO-8601 instant in UTC such as 2026-11-30T12:00:00Z"

host=${BOOTSTRAP%%,*}
port_in_use "${host%%:*}" "${host##*:}" || die "no Kafka broker answers on $BOOTSTRAP; start one with scripts/kafka.sh start"
require_java
ensure_lib kafka

DIR="$SHOP_LOCAL_DIR/balance-at"
mkdir -p "$DIR"
suffix="$(date -u +%s)-$$"
TOPIC="bank.balances.at-${INSTANT//[^0-9A-Za-z]/}-$suffix"

# A fresh, compacted topic for the replay's output (the broker creates no topic on the fly).
printf '%s 4 cleanup.policy=compact\n' "$TOPIC" >"$DIR/topic.txt"
(cd "$ROOT" && "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+PerfDisableSharedMem \
  -cp "$SHOP_LIB_DIR/kafka/*" scripts/tools/CreateTopics.java "$BOOTSTRAP" "$DIR/topic.txt") >"$DIR/create.log" 2>&1 ||
  {
    show_log_tail "$DIR/create.log" 20
    die "could not create $TOPIC"
  }

info "replaying the event store up to $INSTANT into $TOPIC ..."
if ! "$ROOT/scripts/run-local.sh" account-ledger --bootstrap-servers "$BOOTSTRAP" \
  --replay-until "$INSTANT" --bounded true --starting-offsets earliest --topic.balances "$TOPIC" \
  --job-name "balance-at-$suffix" --checkpoint-interval 1s "${extra[@]}" >"$DIR/replay.log" 2>&1 </dev/null; then
  show_log_tail "$DIR/replay.log" 30
  die "the replay failed (log: $DIR/replay.log)"
fi

set +e
balance="$(cd "$ROOT" && "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+PerfDisableSharedMem \
  -cp "$SHOP_LIB_DIR/kafka/*" scripts/tools/LatestValue.java "$BOOTSTRAP" "$TOPIC" "$ACCOUNT")"
rc=$?
set -e
case $rc in
  0)
    info "$ACCOUNT at $INSTANT (all balances at that instant are in $TOPIC):"
    printf '%s\n' "$balance"
    ;;
  3)
    info "$ACCOUNT had no event by $INSTANT (all balances at that instant are in $TOPIC)."
    exit 3
    ;;
  *) die "could not read $TOPIC" ;;
esac
