#!/usr/bin/env bash
# Benchmarks: throughput of the jobs against baselines measured in the same run, and state size.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

case "${1:-}" in
  -h | --help)
    cat <<USAGE
Usage: scripts/bench.sh [--job activity-monitor|fraud-detection] [--events N] [--parallelism P]
                        [--repeats R] [--only TEXT]
       scripts/bench.sh --job account-ledger [--commands N] [--events M] [--parallelism P] [--repeats R]
       scripts/bench.sh --job order-saga [--events N] [--open M] [--parallelism P] [--repeats R]

Builds the benchmarks module and runs com.acme.shop.bench.Benchmarks against a broker inside the
benchmark's JVM. After a warm-up run, R rounds (default 3) run every configuration in turn; the
table gives the median events/s, the range and the ratio to the read-and-parse baseline of the
same run. --only TEXT runs just the configurations whose name contains TEXT (and the baseline).

  activity-monitor (default): N generated clicks (default 1 000 000); the baseline, each output
    alone on top of it, and the whole job (discarding sinks, and exactly-once to Kafka); then the
    state of a running job after reading all N clicks (a savepoint's size).
  fraud-detection: N generated transactions (default 2 000 000) and N/4 logins; the baseline
    (both topics), each rule alone, the velocity rule's Flink SQL twin (HOP window), and the whole
    job (discarding sinks, and exactly-once to Kafka).

Needs no broker or cluster of its own and leaves none running.

--job account-ledger (or just "ledger"): com.acme.shop.bench.LedgerBenchmarks instead: N generated commands
(default 1 000 000), bounded runs of a read-and-parse baseline and of the whole job (discarding
sinks, and exactly-once to Kafka) with commands/s and the ratio to the baseline; the time to
rebuild the balances (--replay) from an event store of M events (default 1 000 000) next to
reading and parsing it; and the state per account of a live job that has read everything, with
and without the commandIds of the idempotency retention.

--job order-saga: com.acme.shop.bench.SagaBenchmark: N generated order events (default 1 000 000),
bounded runs of a read-and-parse baseline and of the whole job (discarding sinks, and exactly-once
to Kafka) with events/s and the ratio to the baseline; then the state per open saga, from a
savepoint of a live job that has read M placements (default 100 000) that nothing answers yet.
USAGE
    exit 0
    ;;
esac

require_java
command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build the benchmarks."
cd "$ROOT"
info "building the benchmarks (mvn install, tests skipped) ..."
mvn -B -q install -DskipTests -Dspotless.check.skip=true -pl benchmarks -am
main=com.acme.shop.bench.Benchmarks
# account-ledger has its own benchmark class and options.
if [[ "${1:-}" == ledger ]]; then
  main=com.acme.shop.bench.LedgerBenchmarks
  shift
elif [[ "${1:-}" == --job && "${2:-}" == account-ledger ]]; then
  main=com.acme.shop.bench.LedgerBenchmarks
  shift 2
elif [[ "${1:-}" == --job && "${2:-}" == order-saga ]]; then
  main=com.acme.shop.bench.SagaBenchmark
  shift 2
fi
mvn -B -q -pl benchmarks exec:exec "-Dbench.main=$main" "-Dbench.args=$*"
