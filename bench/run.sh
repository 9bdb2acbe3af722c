#!/usr/bin/env bash
# Benchmarks the plugin's goals against the psql floor, the Flyway API, flyway-maven-plugin and
# pg_dump, all on one throwaway PostgreSQL 15 server started here, in one run.
#
#   bench/run.sh                  # every case, RUNS=5 runs of each measurement
#   RUNS=3 CASES="h100" bench/run.sh
#
# Settings (environment): RUNS (5), STAIRWAY_RUNS (3: runs of db-check with its stairway), CASES ("h100 h1000 w1000": h<N> = N-revision history, w<T> = one
# revision of T tables), SCALE (snapshot linearity table counts, "250 500 1000 2000"), SEED (42),
# PORT (55439), WORK (a new directory under /tmp), ORDER (rounds: each round runs every measurement
# of a case once; sequential: each measurement's runs in a row). Needs a JDK and, when PostgreSQL 15 is missing,
# root to install Debian's postgresql-15. Prints the tables and leaves them in $WORK/results.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
STAIRWAY_RUNS=${STAIRWAY_RUNS:-3}
CASES=${CASES-"h100 h1000 w1000"}
SCALE=${SCALE-"250 500 1000 2000"}
SEED=${SEED:-42}
PORT=${PORT:-55439}
WORK=${WORK:-$(mktemp -d /tmp/bemserver-bench.XXXXXX)}
PG_BIN=/usr/lib/postgresql/15/bin
FLYWAY_PLUGIN_VERSION=13.6.0
PGJDBC_VERSION=$(sed -n 's:.*<postgresql.version>\(.*\)</postgresql.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
PLUGIN_VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$ROOT/pom.xml" | head -1)
RAW=$WORK/raw.tsv
RESULTS=$WORK/results.md

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# --- PostgreSQL 15: server and client of the same version -------------------------------------
if [ ! -x "$PG_BIN/postgres" ] || ! command -v pg_dump >/dev/null; then
  [ "$(id -u)" = 0 ] || die "PostgreSQL 15 is missing: install Debian's postgresql-15 (as root) and run again"
  log "installing postgresql-15"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# start_server DIRECTORY PORT [SETTING...]: a new cluster in $WORK/DIRECTORY, on PORT, stopped on exit
SERVERS=()
trap 'for d in "${SERVERS[@]}"; do as_pg "$PG_BIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true; done' EXIT
start_server() {
  local dir=$WORK/$1 port=$2 settings=""; shift 2
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use: stop what listens there or set PORT"; fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg "$PG_BIN/initdb" -D "$dir" -U bench --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  for setting in "$@"; do settings+=" -c $setting"; done
  SERVERS+=("$dir")
  as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-p $port -k $WORK/sock -c listen_addresses=127.0.0.1$settings" start >/dev/null
}

mkdir -p "$WORK/sock"
# mktemp's directory is private; the embedded server of db-check runs as another user (nobody,
# when the build runs as root) and must reach its data directory under the projects here
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres "$WORK" "$WORK/sock"
log "work directory $WORK"
# undoing 1000 revisions in one transaction takes more locks than the default lock table holds,
# for psql as for the plugin
start_server pgdata "$PORT" max_locks_per_transaction=1024
# a second server with the settings of the plugin's throwaway server (nothing on it has to survive
# a crash), for the floor of db-lint: upgrading the same revisions on a throwaway database
THROWAWAY_PORT=$((PORT + 1))
start_server pgdata-throwaway "$THROWAWAY_PORT" max_locks_per_transaction=1024 fsync=off synchronous_commit=off \
  full_page_writes=off

PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U bench)
JDBC="jdbc:postgresql://127.0.0.1:$PORT/bench"
export SQLALCHEMY_DATABASE_URI="postgresql://bench:bench@127.0.0.1:$PORT/bench"
fresh() { "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench${1:+ TEMPLATE $1}"; }
THROWAWAY_PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$THROWAWAY_PORT" -U bench)
fresh_throwaway() { "${THROWAWAY_PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"; }

# --- the plugin, the bench classes and Maven --------------------------------------------------
log "building the plugin $PLUGIN_VERSION and the bench classes"
(cd "$ROOT" && ./mvnw -B -q install -DskipTests -Dinvoker.skip \
  && ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt")
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$WORK/classpath.txt")"
MVN=$(find "$HOME/.m2/wrapper/dists" -path '*apache-maven-3.9.16*' -name mvn -type f | head -1)
[ -n "$MVN" ] || die "the Maven wrapper's distribution was not found under ~/.m2/wrapper"

# A project using both plugins on the same scripts, as a user's project would.
project() {
  local dir=$1 corpus=$2
  mkdir -p "$dir/src/main/resources/db"
  cp -r "$corpus/migrations" "$dir/src/main/resources/db/migration"
  cp -r "$corpus/model" "$dir/src/main/resources/db/model"
  cat >"$dir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>bench-project</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>org.flywaydb</groupId>
        <artifactId>flyway-maven-plugin</artifactId>
        <version>$FLYWAY_PLUGIN_VERSION</version>
        <configuration>
          <url>$JDBC</url>
          <user>bench</user>
          <password>bench</password>
          <locations><location>filesystem:src/main/resources/db/migration</location></locations>
        </configuration>
        <dependencies>
          <dependency>
            <groupId>org.flywaydb</groupId>
            <artifactId>flyway-database-postgresql</artifactId>
            <version>$FLYWAY_PLUGIN_VERSION</version>
          </dependency>
          <dependency>
            <groupId>org.postgresql</groupId>
            <artifactId>postgresql</artifactId>
            <version>$PGJDBC_VERSION</version>
          </dependency>
        </dependencies>
      </plugin>
      <plugin>
        <groupId>org.bemserver</groupId>
        <artifactId>bemserver-maven-plugin</artifactId>
        <version>$PLUGIN_VERSION</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
}

# --- measuring --------------------------------------------------------------------------------
# A case's measurements are defined first (define), then run in rounds (run_all): each round runs
# every measurement once, in the order defined, so that a figure and its anchor are taken minutes
# apart at most and the machine's drift during a case (the server's disk above all: psql's floor of
# 1000 revisions ranged from 1.35 to 2.00 s within one run) moves both. ORDER=sequential runs all
# of one measurement's runs before the next, as the harness did before.
#
# define LABEL SETUP AFTER COMMAND...: SETUP before each run (untimed), AFTER (a command line,
# eval'd; "" for none) after its last run, e.g. to dump the schema it left for the same-schema
# check. MEASURE_RUNS (default RUNS) runs, in the middle rounds when fewer than RUNS.
define() {
  local label=$1 setup=$2 after=$3; shift 3
  M_LABEL+=("$label"); M_SETUP+=("$setup"); M_AFTER+=("$after"); M_RUNS+=("${MEASURE_RUNS:-$RUNS}")
  M_CMD+=("$(printf '%q ' "$@")")
}
# before each timed run, untimed: what the runs before left to write (the server's dirty buffers,
# the kernel's dirty pages of dropped throwaway databases) is written first, so that a run does not
# pay for the one before it (a light measurement after a heavy one, in a round)
settle() { "${PSQL[@]}" -d postgres -c CHECKPOINT >/dev/null && sync; }
reset_definitions() { M_LABEL=(); M_SETUP=(); M_AFTER=(); M_RUNS=(); M_CMD=(); M_TIMES=(); }
# run_all CASE: runs what was defined, then records min/median/max milliseconds of each.
run_all() {
  local case=$1 i r first last t0 t1 steps=()
  for ((i = 0; i < ${#M_LABEL[@]}; i++)); do M_TIMES[i]=""; done
  if [ "${ORDER:-rounds}" = sequential ]; then
    for ((i = 0; i < ${#M_LABEL[@]}; i++)); do for ((r = 1; r <= RUNS; r++)); do steps+=("$i $r"); done; done
  else
    for ((r = 1; r <= RUNS; r++)); do for ((i = 0; i < ${#M_LABEL[@]}; i++)); do steps+=("$i $r"); done; done
  fi
  for step in "${steps[@]}"; do
    read -r i r <<<"$step"
    first=$(((RUNS - M_RUNS[i]) / 2 + 1)); last=$((first + M_RUNS[i] - 1))
    ((r >= first && r <= last)) || continue
    ${M_SETUP[i]}
    settle
    t0=$(date +%s%N)
    eval "${M_CMD[i]}" >"$WORK/last.out" 2>&1 || { cat "$WORK/last.out" >&2; die "$case: ${M_LABEL[i]} failed"; }
    t1=$(date +%s%N)
    M_TIMES[i]+="$(((t1 - t0) / 1000000)) "
    ((r == last)) && [ -n "${M_AFTER[i]}" ] && eval "${M_AFTER[i]}"
  done
  for ((i = 0; i < ${#M_LABEL[@]}; i++)); do
    local sorted=($(printf '%s\n' ${M_TIMES[i]} | sort -n)) n=${M_RUNS[i]}
    printf '%s\t%s\t%s\t%s\t%s\n' "$case" "${M_LABEL[i]}" "${sorted[0]}" "${sorted[$((n / 2))]}" "${sorted[$((n - 1))]}" >>"$RAW"
    log "$case  ${M_LABEL[i]}: median ${sorted[$((n / 2))]} ms"
  done
}
# measure CASE LABEL SETUP COMMAND...: one measurement on its own (its RUNS runs in a row).
measure() {
  local case=$1; shift
  reset_definitions
  define "$1" "$2" "" "${@:3}"
  run_all "$case"
}

# The schema and rows a tool left, without the history table, for the same-schema check.
dump() {
  pg_dump -h 127.0.0.1 -p "$PORT" -U bench -d bench --no-owner --exclude-table=flyway_schema_history \
    | grep -v -e '^--' -e '^$' -e '^SET ' -e '^SELECT pg_catalog.set_config' -e '^\\restrict' -e '^\\unrestrict' >"$WORK/dumps/$1.sql"
}
same_as() {
  dump "$2"
  cmp -s "$WORK/dumps/$1.sql" "$WORK/dumps/$2.sql" || die "$2 left another schema than $1: diff $WORK/dumps/$1.sql $WORK/dumps/$2.sql"
}

mkdir -p "$WORK/dumps" "$WORK/corpora"
: >"$RAW"
for case in $CASES; do
  corpus="$WORK/corpora/$case"
  case $case in
    h*) java -cp "$CP" org.bemserver.bench.CorpusGenerator --revisions "${case#h}" --seed "$SEED" --out "$corpus" ;;
    w*) java -cp "$CP" org.bemserver.bench.CorpusGenerator --wide "${case#w}" --seed "$SEED" --out "$corpus" ;;
    *) die "unknown case $case (h<revisions> or w<tables>)" ;;
  esac
  proj="$WORK/project-$case"
  project "$proj" "$corpus"
  ups=$(ls "$corpus/migrations"/V*.sql | sort -V)
  downs=$(ls "$corpus/migrations"/U*.sql | sort -Vr)
  cat $ups >"$corpus/all-up.sql"
  cat $downs >"$corpus/all-down.sql"
  for f in $ups; do printf 'BEGIN;\n\\i %s\nCOMMIT;\n' "$f"; done >"$corpus/per-file-up.sql"
  mvn_() { (cd "$proj" && "$MVN" -B -q -o "$@"); }
  mvn_embedded() { (cd "$proj" && SQLALCHEMY_DATABASE_URI=embedded "$MVN" -B -q -o "$@"); }
  references="-Dbemserver.referenceTables=$(paste -sd, "$corpus/reference-tables")"
  log "$case: $(ls "$corpus/migrations"/V*.sql | wc -l) revisions; resolving the plugins"
  fresh && (cd "$proj" && "$MVN" -B -q validate flyway:info bemserver:db-current >"$WORK/last.out" 2>&1) \
    || { cat "$WORK/last.out" >&2; die "$case: the plugins could not be resolved or run"; }
  at_head() { fresh "head_$case"; }
  empty() { fresh; }
  # the database at head the "at head" measurements start from, and the embedded servers' clusters
  # (created by a first run), made before the rounds, untimed
  (fresh && mvn_ bemserver:db-upgrade >"$WORK/last.out" 2>&1 \
    && "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS head_$case" -c "ALTER DATABASE bench RENAME TO head_$case" \
    && fresh && cd "$proj" && SQLALCHEMY_DATABASE_URI=embedded "$MVN" -B -q bemserver:db-current >>"$WORK/last.out" 2>&1 \
    && "$MVN" -B -q bemserver:db-check -Dbemserver.stairway=false "$references" >>"$WORK/last.out" 2>&1) \
    || { cat "$WORK/last.out" >&2; die "$case: the database at head or the embedded servers could not be prepared"; }
  no_objects_left() {
    [ "$("${PSQL[@]}" -d bench -Atc "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname NOT LIKE 'flyway\\_schema\\_history%'")" = 0 ] || die "$case: db-downgrade left objects"
  }

  reset_definitions
  define "maven start (mvn validate)" empty "" mvn_ validate
  define "psql floor, one transaction" empty "dump $case-floor" "${PSQL[@]}" -d bench -1 -f "$corpus/all-up.sql"
  define "psql floor, one transaction, on a server like the throwaway one (fsync off)" fresh_throwaway "" \
    "${THROWAWAY_PSQL[@]}" -d bench -1 -f "$corpus/all-up.sql"
  define "psql, one transaction per file" empty "same_as $case-floor $case-psql-per-file" \
    "${PSQL[@]}" -d bench -f "$corpus/per-file-up.sql"
  define "Flyway API" empty "same_as $case-floor $case-flyway-api" \
    java -cp "$CP" org.bemserver.bench.FlywayMigrate "$JDBC" bench bench "$corpus/migrations"
  define "mvn flyway:migrate" empty "same_as $case-floor $case-flyway-maven" mvn_ flyway:migrate
  define "mvn bemserver:db-upgrade" empty "same_as $case-floor $case-db-upgrade" mvn_ bemserver:db-upgrade

  define "psql undo floor, one transaction" at_head "" "${PSQL[@]}" -d bench -1 -f "$corpus/all-down.sql"
  define "mvn bemserver:db-downgrade -Dbemserver.revision=base" at_head no_objects_left \
    mvn_ bemserver:db-downgrade -Dbemserver.revision=base

  define "psql of the model, one transaction" empty "same_as $case-floor $case-psql-model" \
    "${PSQL[@]}" -d bench -1 -f "$corpus/model/model.sql"
  define "mvn bemserver:db-setup" empty "same_as $case-floor $case-db-setup" mvn_ bemserver:db-setup

  # db-check on its embedded throwaway server, and on this benchmark's server (bemserver.devUri),
  # against the psql floor of migrations + model
  define "mvn bemserver:db-current (embedded server)" true "" mvn_embedded bemserver:db-current
  define "mvn bemserver:db-check -Dbemserver.stairway=false" true "" \
    mvn_ bemserver:db-check -Dbemserver.stairway=false "$references"
  define "mvn bemserver:db-check -Dbemserver.stairway=false (devUri: this server)" true "" \
    mvn_ bemserver:db-check -Dbemserver.stairway=false "$references" "-Dbemserver.devUri=$SQLALCHEMY_DATABASE_URI"
  MEASURE_RUNS=$STAIRWAY_RUNS define "mvn bemserver:db-check (stairway)" true "" mvn_ bemserver:db-check "$references"

  # what Maven spends loading the plugin (its dependencies collected, its realm, the mojo configured)
  # before the mojo's own work: the part of the fixed cost the plugin's code does not control
  define "mvn bemserver:db-current -Dbemserver.skip=true (plugin loaded, no work)" at_head "" \
    mvn_ bemserver:db-current -Dbemserver.skip=true
  define "mvn flyway:info (at head)" at_head "" mvn_ flyway:info
  define "mvn bemserver:db-current (at head)" at_head "" mvn_ bemserver:db-current
  define "mvn flyway:migrate (at head)" at_head "" mvn_ flyway:migrate
  define "mvn bemserver:db-upgrade (at head)" at_head "" mvn_ bemserver:db-upgrade

  # db-script reads the same files as a dry run of db-upgrade (on an empty database), and writes the script
  define "mvn bemserver:db-upgrade -Dbemserver.dryRun=true (empty database)" empty "" \
    mvn_ bemserver:db-upgrade -Dbemserver.dryRun=true
  define "mvn bemserver:db-script -Dbemserver.from=base" empty "" mvn_ bemserver:db-script -Dbemserver.from=base

  define "pg_dump --schema-only" at_head "" pg_dump -h 127.0.0.1 -p "$PORT" -U bench -d bench --schema-only -f /dev/null
  define "snapshot (new JVM, whole process)" at_head "" \
    java -cp "$CP" org.bemserver.bench.SnapshotTiming "$JDBC" bench bench 0

  # db-drift at head (the revision built on the embedded throwaway server, both snapshotted and
  # compared) against building the revision + a Maven and embedded server start + pg_dump of the
  # live database; db-lint of every revision (the live database at head: its tables' sizes are
  # read) against building them + the same start
  define "mvn bemserver:db-drift (at head)" at_head "" mvn_ bemserver:db-drift "$references"
  MEASURE_RUNS=$STAIRWAY_RUNS define "mvn bemserver:db-lint -Dbemserver.since=base" at_head "" \
    mvn_ bemserver:db-lint -Dbemserver.since=base -Dbemserver.failOn=never
  run_all "$case"

  sum() { awk -F'\t' -v c="$case" -v col="$1" -v a="$2" -v b="$3" -v d="$4" '$1 == c && ($2 == a || $2 == b || $2 == d) { s += $col }
      END { print s }' "$RAW"; }
  for col in 3 4 5; do
    check[$col]=$(sum $col "psql floor, one transaction" "psql of the model, one transaction" "mvn bemserver:db-current (embedded server)")
    drift[$col]=$(sum $col "psql floor, one transaction" "mvn bemserver:db-current (embedded server)" "pg_dump --schema-only")
    lint[$col]=$(sum $col "psql floor, one transaction, on a server like the throwaway one (fsync off)" \
      "mvn bemserver:db-current (embedded server)" "")
  done
  printf '%s\t%s\t%s\t%s\t%s\n' "$case" "check floor: psql migrations + psql model + mvn db-current (embedded)" \
    "${check[3]}" "${check[4]}" "${check[5]}" >>"$RAW"
  printf '%s\t%s\t%s\t%s\t%s\n' "$case" "drift floor: psql migrations + mvn db-current (embedded) + pg_dump" \
    "${drift[3]}" "${drift[4]}" "${drift[5]}" >>"$RAW"
  printf '%s\t%s\t%s\t%s\t%s\n' "$case" "lint floor: psql migrations (fsync off) + mvn db-current (embedded)" \
    "${lint[3]}" "${lint[4]}" "${lint[5]}" >>"$RAW"
done

# Snapshot linearity: one revision of T tables, snapshot in-process (warm) and pg_dump.
for tables in $SCALE; do
  corpus="$WORK/corpora/scale$tables"
  java -cp "$CP" org.bemserver.bench.CorpusGenerator --wide "$tables" --seed "$SEED" --out "$corpus"
  fresh && "${PSQL[@]}" -d bench -1 -f "$corpus/migrations/V1__"*.sql
  measure "scale$tables" "pg_dump --schema-only" true pg_dump -h 127.0.0.1 -p "$PORT" -U bench -d bench --schema-only -f /dev/null
  measure "scale$tables" "snapshot (new JVM, whole process)" true java -cp "$CP" org.bemserver.bench.SnapshotTiming "$JDBC" bench bench 0
  colds=()
  for ((i = 1; i <= RUNS; i++)); do
    java -cp "$CP" org.bemserver.bench.SnapshotTiming "$JDBC" bench bench 15 >"$WORK/warm.out"
    colds+=("$(sed -n 's/.*cold_ms=\([0-9.]*\).*/\1/p' "$WORK/warm.out")")
  done
  cold=$(printf '%s\n' "${colds[@]}" | sort -n | sed -n "$((RUNS / 2 + 1))p")
  warm=$(sed -n 's/.*warm_median_ms=\([0-9.]*\).*/\1/p' "$WORK/warm.out")
  objects=$(sed -n 's/.*objects=\([0-9]*\).*/\1/p' "$WORK/warm.out")
  printf 'scale%s\tsnapshot in-process, first in a new JVM (median of %s)\t%s\t%s\t%s\n' "$tables" "$RUNS" "$cold" "$cold" "$cold" >>"$RAW"
  printf 'scale%s\tsnapshot in-process, warm (median of 15; %s objects)\t%s\t%s\t%s\n' "$tables" "$objects" "$warm" "$warm" "$warm" >>"$RAW"
done

# --- the report -------------------------------------------------------------------------------
bash "$ROOT/bench/report.sh" "$RAW" "$RUNS" >"$RESULTS"
{
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr);" \
    "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') (fsync on, max_locks_per_transaction=1024);" \
    "$(java -version 2>&1 | head -1); Maven 3.9.16; flyway-maven-plugin $FLYWAY_PLUGIN_VERSION; seed $SEED; $RUNS runs each."
  echo "Every tool left the same schema and rows (pg_dump compared, history table aside)."
} >>"$RESULTS"
cat "$RESULTS"
