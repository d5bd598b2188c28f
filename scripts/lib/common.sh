# shellcheck shell=bash
# Shared helpers for the scripts in scripts/. Source it, don't run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# Environment (all optional):
#   SHOP_LOCAL_DIR  run state: data, logs, pid files, generated config   (default: <repo>/.local)
#   SHOP_LIB_DIR    cache of the Maven-fetched runtime jars (kafka/, flink/) (default: <repo>/.local/lib)
#   JAVA_HOME       the JDK to use (otherwise `java` on the PATH); Java 17 or newer
#
# Nothing here writes outside SHOP_LOCAL_DIR and SHOP_LIB_DIR (Maven's own repository aside).

if [[ -n "${_SHOP_COMMON_SOURCED:-}" ]]; then
  return 0
fi
_SHOP_COMMON_SOURCED=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
SCRIPT_NAME="$(basename "${BASH_SOURCE[-1]}")"

# Relative paths would change meaning once a daemon runs from another working directory.
_abs_dir() {
  mkdir -p -- "$1" && (cd -- "$1" && pwd -P)
}
SHOP_LOCAL_DIR="$(_abs_dir "${SHOP_LOCAL_DIR:-$ROOT/.local}")" || {
  echo "$SCRIPT_NAME: cannot create SHOP_LOCAL_DIR" >&2
  exit 1
}
SHOP_LIB_DIR="$(_abs_dir "${SHOP_LIB_DIR:-$ROOT/.local/lib}")" || {
  echo "$SCRIPT_NAME: cannot create SHOP_LIB_DIR" >&2
  exit 1
}
export SHOP_LOCAL_DIR SHOP_LIB_DIR

# ---------------------------------------------------------------------------------------------
# Messages

log() { printf '%s\n' "$*" >&2; }
info() { printf '%s: %s\n' "$SCRIPT_NAME" "$*"; }
warn() { printf '%s: warning: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 1
}

# Seconds since an earlier `now` reading, with one decimal.
now() {
  if [[ -n "${EPOCHREALTIME:-}" ]]; then
    printf '%s' "${EPOCHREALTIME/,/.}"
  else
    date +%s.%N
  fi
}
elapsed_since() {
  awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'
}

# Print the last lines of a log file to stderr, indented, as context for an error.
show_log_tail() {
  local file=$1 lines=${2:-25}
  if [[ -s "$file" ]]; then
    log "---- last $lines lines of $file ----"
    tail -n "$lines" -- "$file" | sed 's/^/  /' >&2
    log "----"
  fi
}

# ---------------------------------------------------------------------------------------------
# Java

# Sets JAVA to a Java 17+ binary, or dies saying what is missing.
require_java() {
  if [[ -n "${JAVA:-}" ]]; then
    return 0
  fi
  local candidate=""
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    candidate="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    candidate="$(command -v java)"
  else
    die "Java not found: install a JDK 17 or newer, or point JAVA_HOME at one."
  fi
  local version major
  version="$("$candidate" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
  major="${version%%.*}"
  if [[ "$major" == "1" ]]; then # 1.8.0_x style
    major="$(printf '%s' "$version" | cut -d. -f2)"
  fi
  if ! [[ "$major" =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "Java 17 or newer is required, but $candidate is version '${version:-unknown}'. Set JAVA_HOME to a JDK 17+."
  fi
  JAVA="$candidate"
}

# ---------------------------------------------------------------------------------------------
# Runtime jars, fetched by Maven on first use

# The version lines of the parent pom that decide what a runtime lib dir contains, plus the
# runtime pom itself: when either changes, the cached jars are fetched again.
_lib_stamp() {
  local name=$1
  {
    grep -E '<(flink|kafka|log4j|jackson|slf4j|debezium|embedded-postgres|postgres-binaries)[a-z.-]*version>' "$ROOT/pom.xml" || true
    cat "$ROOT/scripts/runtime/$name/pom.xml"
  } | cksum | awk '{ print $1 "-" $2 }'
}

# ensure_lib kafka|flink|connect : make sure $SHOP_LIB_DIR/<name> holds the jars of scripts/runtime/<name>/pom.xml.
# They are copied into a temporary directory first and renamed into place, so another script
# running at the same time either sees no directory or a complete one.
ensure_lib() {
  local name=$1
  local dest="$SHOP_LIB_DIR/$name"
  local pom="$ROOT/scripts/runtime/$name/pom.xml"
  [[ -f "$pom" ]] || die "missing $pom"
  local stamp
  stamp="$(_lib_stamp "$name")"
  if [[ -f "$dest/.stamp" && "$(cat "$dest/.stamp")" == "$stamp" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed once to fetch the $name jars into $dest, but it is not on the PATH."

  local tmp
  tmp="$(mktemp -d "$SHOP_LIB_DIR/.$name.tmp.XXXXXX")"
  if [[ -d "$dest" ]]; then
    log "The $name runtime changed: fetching its jars again with Maven ..."
  else
    log "First use: fetching the $name jars with Maven into $dest ..."
  fi
  local mvn_log="$tmp.mvn.log"
  if ! mvn -B -q -f "$pom" -Dspotless.check.skip=true -Denforcer.skip=true \
    dependency:copy-dependencies -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
    show_log_tail "$mvn_log" 40
    rm -rf -- "$tmp" "$mvn_log"
    die "Maven could not fetch the $name jars (see above)."
  fi
  rm -f -- "$mvn_log"
  compgen -G "$tmp/*.jar" >/dev/null || {
    rm -rf -- "$tmp"
    die "Maven fetched no jars for $name."
  }
  printf '%s\n' "$stamp" >"$tmp/.stamp"
  chmod 755 "$tmp"

  if [[ -f "$dest/.stamp" && "$(cat "$dest/.stamp")" == "$stamp" ]]; then
    # Another run finished the same fetch meanwhile; its copy is as good as ours.
    rm -rf -- "$tmp"
  elif [[ -d "$dest" ]]; then
    # Stale cache: move it aside (one rename), put the new one in place (another), drop the old.
    local old
    old="$(mktemp -u "$SHOP_LIB_DIR/.$name.old.XXXXXX")"
    mv -T -- "$dest" "$old" 2>/dev/null || true
    if mv -T -- "$tmp" "$dest" 2>/dev/null; then
      rm -rf -- "$old"
      warn "replaced the cached $name jars; restart any $name process that was running on the old ones."
    else
      rm -rf -- "$tmp" "$old"
    fi
  elif ! mv -T -- "$tmp" "$dest" 2>/dev/null; then
    # Another run won the race; its copy is as good as ours.
    rm -rf -- "$tmp"
  fi
  [[ -f "$dest/.stamp" ]] || die "could not put the $name jars into $dest"
}

# ---------------------------------------------------------------------------------------------
# Ports

# port_in_use host port : true when something accepts TCP connections there (pure bash).
port_in_use() {
  local host=$1 port=$2
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  fi
}

# require_port_free host port what : die if the port is taken.
require_port_free() {
  local host=$1 port=$2 what=$3
  if ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    die "invalid port '$port' for $what"
  fi
  if port_in_use "$host" "$port"; then
    die "port $port on $host ($what) is already in use by another process. Stop it, or choose another port (see --help)."
  fi
}

# wait_for_port host port timeout_seconds [pid] : wait until the port accepts connections.
# Fails early when the given pid dies.
wait_for_port() {
  local host=$1 port=$2 timeout=$3 pid=${4:-}
  local deadline=$((SECONDS + timeout))
  until port_in_use "$host" "$port"; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      return 2
    fi
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# http_get url : print the body of a GET (curl when present, else plain bash over HTTP/1.0).
http_get() {
  local url=$1
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 5 "$url"
    return
  fi
  local rest=${url#http://}
  local hostport=${rest%%/*} path="/${rest#*/}"
  local host=${hostport%%:*} port=${hostport##*:}
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$hostport" >&3
    local response
    response="$(timeout 5 cat <&3)" || exit 1
    [[ "$response" == HTTP/1.?" 200"* ]] || exit 1
    printf '%s' "${response#*$'\r\n\r\n'}"
  ) 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# Processes we start
#
# Every daemon gets a marker on its command line (-Dshop.service=<name>@<SHOP_LOCAL_DIR>) and a
# pid file. A pid is only ever signalled while /proc/<pid>/cmdline still contains the marker,
# so a stale pid file can never make us kill an unrelated process that reused the pid.

service_marker() { printf -- '-Dshop.service=%s@%s' "$1" "$SHOP_LOCAL_DIR"; }

# pid_matches pid marker : the process is alive and one of its command-line arguments is the
# marker, or (for a marker that is a file name, like a source-launched tool) ends with it.
pid_matches() {
  local pid=$1 marker=$2 arg
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  while IFS= read -r -d '' arg; do
    if [[ "$arg" == "$marker" || "$arg" == */"$marker" ]]; then
      return 0
    fi
  done 2>/dev/null <"/proc/$pid/cmdline"
  return 1
}

# wait_exec pid marker : a process launched with `( ... exec java ... ) &` is a forked shell for a
# moment; wait until it has become the program with the marker. Fails if it dies first.
wait_exec() {
  local pid=$1 marker=$2 i
  for i in $(seq 1 100); do
    pid_matches "$pid" "$marker" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  pid_matches "$pid" "$marker"
}

# pidfile_pid pidfile marker : print the pid if the pid file names a live process of ours.
# A pid file that names anything else is stale and is removed.
pidfile_pid() {
  local pidfile=$1 marker=$2 pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(head -n1 -- "$pidfile" 2>/dev/null | tr -dc '0-9')"
  if pid_matches "$pid" "$marker"; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f -- "$pidfile"
  return 1
}

# stop_pid pid marker what [timeout_seconds] : TERM, wait, then KILL. Only if the marker matches.
stop_pid() {
  local pid=$1 marker=$2 what=$3 timeout=${4:-30}
  pid_matches "$pid" "$marker" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while pid_matches "$pid" "$marker"; do
    if ((SECONDS >= deadline)); then
      warn "$what (pid $pid) did not stop within ${timeout}s after SIGTERM; sending SIGKILL."
      kill -KILL "$pid" 2>/dev/null || true
      local i
      for i in $(seq 1 50); do
        pid_matches "$pid" "$marker" || break
        sleep 0.1
      done
      break
    fi
    sleep 0.2
  done
  ! pid_matches "$pid" "$marker"
}

# stop_pidfile pidfile marker what [timeout] : stop the process the pid file names, remove the file.
# Returns 0 if something was stopped, 1 if nothing was running.
stop_pidfile() {
  local pidfile=$1 marker=$2 what=$3 timeout=${4:-30} pid
  if pid="$(pidfile_pid "$pidfile" "$marker")"; then
    info "stopping $what (pid $pid) ..."
    stop_pid "$pid" "$marker" "$what" "$timeout" || die "could not stop $what (pid $pid)"
    rm -f -- "$pidfile"
    return 0
  fi
  return 1
}

# Processes started by the current `start`, stopped again if the script exits before it
# calls start_succeeded (an error, Ctrl-C, a failed readiness check).
_STARTED=()
_START_DONE=""
track_started() { _STARTED+=("$1|$2|$3|$4"); } # pid marker what pidfile
start_succeeded() { _START_DONE=1; }
_cleanup_on_exit() {
  local rc=$?
  if [[ -z "$_START_DONE" && ${#_STARTED[@]} -gt 0 ]]; then
    local i entry pid marker what pidfile
    for ((i = ${#_STARTED[@]} - 1; i >= 0; i--)); do
      entry=${_STARTED[i]}
      IFS='|' read -r pid marker what pidfile <<<"$entry"
      if pid_matches "$pid" "$marker"; then
        log "$SCRIPT_NAME: start did not complete; stopping $what (pid $pid) again."
        stop_pid "$pid" "$marker" "$what" 15 || true
      fi
      [[ -z "$pidfile" ]] || rm -f -- "$pidfile"
    done
  fi
  exit "$rc"
}
trap _cleanup_on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# with_lock lockfile : hold an exclusive lock for the rest of the script (no two start/stop at once).
take_lock() {
  local lockfile=$1
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$lockfile"
  flock -n 9 || die "another $SCRIPT_NAME is starting or stopping the same instance (lock $lockfile); try again in a moment."
}

# ---------------------------------------------------------------------------------------------
# Flink bits shared by flink-cluster.sh, submit.sh and run-local.sh

# shellcheck disable=SC2034 # used by the scripts that source this file
FLINK_CONF_SRC="$ROOT/flink-conf"
FLINK_STATE_DIR="$SHOP_LOCAL_DIR/flink"
# shellcheck disable=SC2034
FLINK_GENERATED_CONF="$FLINK_STATE_DIR/conf"

# The Java 17 module flags of `env.java.opts.all` (a one-line flat key in a config.yaml).
flink_java_opts() {
  local conf=${1:-$FLINK_CONF_SRC/config.yaml}
  sed -n -E 's/^env\.java\.opts\.all:[[:space:]]*//p' "$conf" | tail -n1 | sed -E "s/^[\"'](.*)[\"'][[:space:]]*$/\1/"
}

# known_jobs : the jobs of this checkout, comma-separated: every jobs/<job>/ with a pom.xml. Read
# at run time, so help texts list exactly the jobs that exist.
known_jobs() {
  local dir jobs=()
  for dir in "$ROOT"/jobs/*/; do
    [[ -f "$dir/pom.xml" ]] && jobs+=("$(basename "$dir")")
  done
  local IFS=,
  printf '%s' "${jobs[*]:-none}" | sed 's/,/, /g'
}

# job_jar <job> : print the path of the job's jar, building it when it is missing.
job_jar() {
  local job=$1
  [[ "$job" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "invalid job name '$job'"
  if [[ ! -f "$ROOT/jobs/$job/pom.xml" ]]; then
    die "no job '$job' (no jobs/$job/pom.xml). Jobs in this checkout: $(known_jobs)"
  fi
  local jar="$ROOT/jobs/$job/target/$job.jar"
  if [[ ! -f "$jar" ]]; then
    command -v mvn >/dev/null 2>&1 || die "$jar is missing and Maven (mvn) is not on the PATH to build it."
    log "$SCRIPT_NAME: jobs/$job/target/$job.jar is missing; building it: mvn -B -q -pl jobs/$job -am package -DskipTests"
    (cd "$ROOT" && mvn -B -q -pl "jobs/$job" -am package -DskipTests -Dspotless.check.skip=true) >&2 ||
      die "the build of jobs/$job failed (see above)."
    [[ -f "$jar" ]] || die "the build finished but $jar is still missing."
  fi
  printf '%s' "$jar"
}

# jar_main_class <jar> : the Main-Class of the jar's manifest (JDK tools or unzip only).
jar_main_class() {
  local jar=$1 manifest
  if command -v unzip >/dev/null 2>&1; then
    manifest="$(unzip -p "$jar" META-INF/MANIFEST.MF 2>/dev/null)" || manifest=""
  else
    local tmp
    tmp="$(mktemp -d "$SHOP_LOCAL_DIR/.manifest.XXXXXX")"
    (cd "$tmp" && jar xf "$jar" META-INF/MANIFEST.MF) 2>/dev/null || true
    manifest="$(cat "$tmp/META-INF/MANIFEST.MF" 2>/dev/null || true)"
    rm -rf -- "$tmp"
  fi
  # Manifest lines wrap at 72 bytes; a continuation line starts with one space.
  printf '%s\n' "$manifest" | tr -d '\r' | awk '
    /^ / { if (inmain) { value = value substr($0, 2) }; next }
    { if (inmain) { exit } }
    /^Main-Class:/ { inmain = 1; value = substr($0, 12); sub(/^ +/, "", value) }
    END { if (value != "") print value }'
}
