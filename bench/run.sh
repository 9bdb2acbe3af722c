#!/usr/bin/env bash
# Benchmarks the plugin's goals against the psql floor, the Flyway API, flyway-maven-plugin and
# pg_dump, all on one throwaway PostgreSQL 15 server started here, in one run.
#
#   bench/run.sh                  # every case, RUNS=5 runs of each measurement
#   RUNS=3 CASES="h100" bench/run.sh
#
# Settings (environment): RUNS (5), STAIRWAY_RUNS (3: runs of db-check with its stairway), CASES ("h100 h1000 w1000": h<N> = N-revision history, w<T> = one
# revision of T tables), SCALE (snapshot linearity table counts, "250 500 1000 2000"), SEED (42),
# PORT (55439), WORK (a new directory under /tmp). Needs a JDK and, when PostgreSQL 15 is missing,
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

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT is in use: stop what listens there or set PORT"; fi
mkdir -p "$WORK/pgdata" "$WORK/sock"
# mktemp's directory is private; the embedded server of db-check runs as another user (nobody,
# when the build runs as root) and must reach its data directory under the projects here
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres "$WORK" "$WORK/pgdata" "$WORK/sock"
log "work directory $WORK"
as_pg "$PG_BIN/initdb" -D "$WORK/pgdata" -U bench --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# undoing 1000 revisions in one transaction takes more locks than the default lock table holds,
# for psql as for the plugin
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -l "$WORK/pgdata/server.log" -w \
  -o "-p $PORT -k $WORK/sock -c listen_addresses=127.0.0.1 -c max_locks_per_transaction=1024" start >/dev/null
trap 'as_pg "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -m immediate stop >/dev/null 2>&1 || true' EXIT

PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U bench)
JDBC="jdbc:postgresql://127.0.0.1:$PORT/bench"
export SQLALCHEMY_DATABASE_URI="postgresql://bench:bench@127.0.0.1:$PORT/bench"
fresh() { "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench${1:+ TEMPLATE $1}"; }

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
# measure CASE LABEL SETUP COMMAND...: RUNS runs, SETUP before each (untimed); the last run's
# schema is dumped for the same-schema check. Records min/median/max milliseconds.
measure() {
  local case=$1 label=$2 setup=$3; shift 3
  local times=() i t0 t1 runs=${MEASURE_RUNS:-$RUNS}
  for ((i = 1; i <= runs; i++)); do
    $setup
    t0=$(date +%s%N)
    "$@" >"$WORK/last.out" 2>&1 || { cat "$WORK/last.out" >&2; die "$case: $label failed"; }
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000000)))
  done
  local sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '%s\t%s\t%s\t%s\t%s\n' "$case" "$label" "${sorted[0]}" "${sorted[$((runs / 2))]}" "${sorted[$((runs - 1))]}" >>"$RAW"
  log "$case  $label: median ${sorted[$((runs / 2))]} ms"
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

  measure "$case" "maven start (mvn validate)" empty mvn_ validate
  measure "$case" "psql floor, one transaction" empty "${PSQL[@]}" -d bench -1 -f "$corpus/all-up.sql"
  dump "$case-floor"
  measure "$case" "psql, one transaction per file" empty "${PSQL[@]}" -d bench -f "$corpus/per-file-up.sql"
  same_as "$case-floor" "$case-psql-per-file"
  measure "$case" "Flyway API" empty java -cp "$CP" org.bemserver.bench.FlywayMigrate "$JDBC" bench bench "$corpus/migrations"
  same_as "$case-floor" "$case-flyway-api"
  measure "$case" "mvn flyway:migrate" empty mvn_ flyway:migrate
  same_as "$case-floor" "$case-flyway-maven"
  measure "$case" "mvn bemserver:db-upgrade" empty mvn_ bemserver:db-upgrade
  same_as "$case-floor" "$case-db-upgrade"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS head_$case" -c "ALTER DATABASE bench RENAME TO head_$case"

  measure "$case" "psql undo floor, one transaction" at_head "${PSQL[@]}" -d bench -1 -f "$corpus/all-down.sql"
  measure "$case" "mvn bemserver:db-downgrade -Dbemserver.revision=base" at_head mvn_ bemserver:db-downgrade -Dbemserver.revision=base
  [ "$("${PSQL[@]}" -d bench -Atc "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname NOT LIKE 'flyway\\_schema\\_history%'")" = 0 ] || die "$case: db-downgrade left objects"

  measure "$case" "psql of the model, one transaction" empty "${PSQL[@]}" -d bench -1 -f "$corpus/model/model.sql"
  same_as "$case-floor" "$case-psql-model"
  measure "$case" "mvn bemserver:db-setup" empty mvn_ bemserver:db-setup
  same_as "$case-floor" "$case-db-setup"

  # db-check on its embedded throwaway server (the cluster created by an untimed first run), and
  # on this benchmark's server (bemserver.devUri), against the psql floor of migrations + model
  (cd "$proj" && SQLALCHEMY_DATABASE_URI=embedded "$MVN" -B -q bemserver:db-current >"$WORK/last.out" 2>&1 \
    && "$MVN" -B -q -o bemserver:db-check -Dbemserver.stairway=false "$references" >>"$WORK/last.out" 2>&1) \
    || { cat "$WORK/last.out" >&2; die "$case: the embedded server could not be prepared"; }
  measure "$case" "mvn bemserver:db-current (embedded server)" true mvn_embedded bemserver:db-current
  measure "$case" "mvn bemserver:db-check -Dbemserver.stairway=false" true mvn_ bemserver:db-check -Dbemserver.stairway=false "$references"
  measure "$case" "mvn bemserver:db-check -Dbemserver.stairway=false (devUri: this server)" true \
    mvn_ bemserver:db-check -Dbemserver.stairway=false "$references" "-Dbemserver.devUri=$SQLALCHEMY_DATABASE_URI"
  MEASURE_RUNS=$STAIRWAY_RUNS measure "$case" "mvn bemserver:db-check (stairway)" true mvn_ bemserver:db-check "$references"
  floor() { awk -F'\t' -v c="$case" -v col="$1" '$1 == c && ($2 == "psql floor, one transaction" ||
      $2 == "psql of the model, one transaction" || $2 == "mvn bemserver:db-current (embedded server)") { s += $col } END { print s }' "$RAW"; }
  printf '%s\t%s\t%s\t%s\t%s\n' "$case" "check floor: psql migrations + psql model + mvn db-current (embedded)" \
    "$(floor 3)" "$(floor 4)" "$(floor 5)" >>"$RAW"

  # what Maven spends loading the plugin (its dependencies collected, its realm, the mojo configured)
  # before the mojo's own work: the part of the fixed cost the plugin's code does not control
  measure "$case" "mvn bemserver:db-current -Dbemserver.skip=true (plugin loaded, no work)" at_head \
    mvn_ bemserver:db-current -Dbemserver.skip=true
  measure "$case" "mvn flyway:info (at head)" at_head mvn_ flyway:info
  measure "$case" "mvn bemserver:db-current (at head)" at_head mvn_ bemserver:db-current
  measure "$case" "mvn flyway:migrate (at head)" at_head mvn_ flyway:migrate
  measure "$case" "mvn bemserver:db-upgrade (at head)" at_head mvn_ bemserver:db-upgrade

  # db-script reads the same files as a dry run of db-upgrade (on an empty database), and writes the script
  measure "$case" "mvn bemserver:db-upgrade -Dbemserver.dryRun=true (empty database)" empty \
    mvn_ bemserver:db-upgrade -Dbemserver.dryRun=true
  measure "$case" "mvn bemserver:db-script -Dbemserver.from=base" true mvn_ bemserver:db-script -Dbemserver.from=base

  at_head
  measure "$case" "pg_dump --schema-only" true pg_dump -h 127.0.0.1 -p "$PORT" -U bench -d bench --schema-only -f /dev/null
  measure "$case" "snapshot (new JVM, whole process)" true java -cp "$CP" org.bemserver.bench.SnapshotTiming "$JDBC" bench bench 0

  # db-drift at head (the revision built on the embedded throwaway server, both snapshotted and
  # compared) against building the revision + a Maven and embedded server start + pg_dump of the
  # live database; db-lint of every revision against building them + the same start
  measure "$case" "mvn bemserver:db-drift (at head)" at_head mvn_ bemserver:db-drift "$references"
  MEASURE_RUNS=$STAIRWAY_RUNS measure "$case" "mvn bemserver:db-lint -Dbemserver.since=base" true \
    mvn_ bemserver:db-lint -Dbemserver.since=base -Dbemserver.failOn=never
  sum() { awk -F'\t' -v c="$case" -v col="$1" -v a="$2" -v b="$3" -v d="$4" '$1 == c && ($2 == a || $2 == b || $2 == d) { s += $col }
      END { print s }' "$RAW"; }
  for col in 3 4 5; do
    drift[$col]=$(sum $col "psql floor, one transaction" "mvn bemserver:db-current (embedded server)" "pg_dump --schema-only")
    lint[$col]=$(sum $col "psql floor, one transaction" "mvn bemserver:db-current (embedded server)" "")
  done
  printf '%s\t%s\t%s\t%s\t%s\n' "$case" "drift floor: psql migrations + mvn db-current (embedded) + pg_dump" \
    "${drift[3]}" "${drift[4]}" "${drift[5]}" >>"$RAW"
  printf '%s\t%s\t%s\t%s\t%s\n' "$case" "lint floor: psql migrations + mvn db-current (embedded)" \
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
