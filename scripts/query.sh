#!/usr/bin/env bash
# Queries the read models that cdc-sync and account-ledger write into PostgreSQL (with
# --read-model-jdbc-url), e.g. the CDC stack's database of scripts/cdc.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
Usage: scripts/query.sh <named query | SQL>

Named queries:
  top-categories  the five categories with the most revenue   (read_models.sales_by_category)
  top-customers   the five customers who spent the most        (read_models.customer_summary)
  recent-orders   the five orders changed last                 (read_models.orders_enriched)
  balances        the five accounts changed last               (read_models.balances)
Anything else is run as SQL, e.g.
  scripts/query.sh "SELECT count(*) FROM read_models.orders_enriched WHERE status = 'PAID'"

Environment:
  READ_MODEL_JDBC_URL       the database   (default jdbc:postgresql://localhost:\${CDC_PG_PORT:-5433}/shop)
  READ_MODEL_JDBC_USER      the user       (default shop)
  SHOP_READ_MODEL_PASSWORD  the password   (default: shop, the password of scripts/cdc.sh's local database)
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

require_java
ensure_lib connect # it holds the PostgreSQL JDBC driver
export SHOP_READ_MODEL_PASSWORD="${SHOP_READ_MODEL_PASSWORD:-shop}"
url="${READ_MODEL_JDBC_URL:-jdbc:postgresql://localhost:${CDC_PG_PORT:-5433}/shop}"
cd "$ROOT"
exec "$JAVA" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+PerfDisableSharedMem \
  -cp "$SHOP_LIB_DIR/connect/*" scripts/tools/Query.java "$url" "${READ_MODEL_JDBC_USER:-shop}" "$@"
