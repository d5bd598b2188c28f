#!/usr/bin/env bash
# Benchmarks: throughput of the jobs against baselines measured in the same run, and state size.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

case "${1:-}" in
  -h | --help)
    cat <<USAGE
Usage: scripts/bench.sh [--events N] [--parallelism P]

Builds the benchmarks module and runs com.acme.shop.bench.Benchmarks: N generated clicks
(default 1 000 000) into a broker inside the benchmark's JVM, then bounded runs of a
read-and-parse baseline and of activity-monitor over them, printed as a table of events/s and
ratios to the baseline, then the state of a running activity-monitor after reading them all (a
savepoint's size). Needs no broker or cluster of its own and leaves none running.
USAGE
    exit 0
    ;;
esac

require_java
command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build the benchmarks."
cd "$ROOT"
info "building the benchmarks (mvn install, tests skipped) ..."
mvn -B -q install -DskipTests -Dspotless.check.skip=true -pl benchmarks -am
mvn -B -q -pl benchmarks exec:exec "-Dbench.args=$*"
