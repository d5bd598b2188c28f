#!/usr/bin/env bash
# A realistic write load on the CDC stack's PostgreSQL (scripts/cdc.sh start), at a settable rate:
# orders placed, paid, shipped and cancelled with their outbox events in the same transaction,
# price, category and tier changes, customer, product and order deletes. Runs in the foreground;
# Ctrl-C stops it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/shop-load.sh [--rate <statements/s>] [--statements <n>] [--seed <n>]

  --rate        statements per second; 0 writes as fast as the database takes them (default 50)
  --statements  stop after this many statements; 0 runs until Ctrl-C              (default 0)
  --seed        the random seed, for a repeatable load                          (default: the clock)

Prints the statements, transactions and outbox events written, every 10 s and at the end.

Environment:
  CDC_PG_PORT   the PostgreSQL of scripts/cdc.sh  (default 5433)
USAGE
}

for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
  esac
done

CDC_PG_PORT="${CDC_PG_PORT:-5433}"
require_java
port_in_use localhost "$CDC_PG_PORT" || die "no PostgreSQL on localhost:$CDC_PG_PORT: start the CDC stack first (scripts/cdc.sh start), or set CDC_PG_PORT."
ensure_lib connect
cd "$ROOT"
exec "$JAVA" -Xmx256m -XX:+UseSerialGC -cp "$SHOP_LIB_DIR/connect/*" scripts/tools/ShopLoad.java \
  --port "$CDC_PG_PORT" --rate 50 --statements 0 "$@"
