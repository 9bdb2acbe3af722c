#!/bin/bash
# The fixed cost of a goal run, for two builds of the plugin: interleaved runs of `mvn validate` of
# an empty project and of db-current, a no-op db-upgrade, a skipped run and db-current on the
# embedded server, on a bemserver-core project at head; prints the median of each.
#
#   ./mvnw -B -q install -DskipTests -Dinvoker.skip=true -Dmaven.repo.local=/tmp/repo-B   # each build
#   CORE_URI=postgresql://user@127.0.0.1:5432/core bench/fixed-cost.sh /tmp/repo-A /tmp/repo-B
#
# Settings from the environment: CORE_URI (required: a database this script upgrades to head),
# N (9 runs of each), MVN (mvn on the PATH). Both repositories must hold the plugin and be complete
# enough to run offline (seed them with a copy of ~/.m2/repository: cp -al is quick).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# = 2 ] || { echo "usage: CORE_URI=... $0 <local repository A> <local repository B>" >&2; exit 2; }
: "${CORE_URI:?set CORE_URI to a PostgreSQL URI of a database to upgrade to bemserver-core head}"
N=${N:-9}
MVN=${MVN:-mvn}
VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$ROOT/pom.xml" | head -1)
WORK=$(mktemp -d /tmp/bemserver-fixed-cost.XXXXXX)
CORPUS=$ROOT/src/test/resources/corpus/bemserver-core/db
mkdir -p "$WORK/empty" "$WORK/core"
cat > "$WORK/empty/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>x</groupId><artifactId>empty</artifactId><version>1</version><packaging>pom</packaging></project>
POM
cat > "$WORK/core/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>x</groupId><artifactId>core</artifactId><version>1</version><packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>org.bemserver</groupId><artifactId>bemserver-maven-plugin</artifactId><version>$VERSION</version>
    <configuration>
      <locations><location>filesystem:$CORPUS/migration</location></locations>
      <model>$CORPUS/model</model>
    </configuration>
  </plugin></plugins></build>
</project>
POM
(cd "$WORK/core" && SQLALCHEMY_DATABASE_URI=$CORE_URI $MVN -q -o -Dmaven.repo.local="$2" bemserver:db-upgrade)

times=$WORK/times.tsv
run() { # name directory uri arguments...
  local name=$1 dir=$2 uri=$3 start end
  shift 3
  start=$(date +%s%N)
  (cd "$dir" && SQLALCHEMY_DATABASE_URI=$uri $MVN -q -o "$@" > "$WORK/last.log" 2>&1) \
    || { echo "$name failed:" >&2; tail -5 "$WORK/last.log" >&2; exit 1; }
  end=$(date +%s%N)
  printf '%s\t%d\n' "$name" $(( (end - start) / 1000000 )) >> "$times"
}
for _ in $(seq "$N"); do
  run validate "$WORK/empty" "" validate
  for build in A B; do
    repo=$([ $build = A ] && echo "$1" || echo "$2")
    run "skip $build" "$WORK/core" "$CORE_URI" -Dmaven.repo.local="$repo" bemserver:db-upgrade -Dbemserver.skip=true
    run "db-current $build" "$WORK/core" "$CORE_URI" -Dmaven.repo.local="$repo" bemserver:db-current
    run "db-upgrade at head $build" "$WORK/core" "$CORE_URI" -Dmaven.repo.local="$repo" bemserver:db-upgrade
    run "db-current embedded $build" "$WORK/core" embedded -Dmaven.repo.local="$repo" bemserver:db-current
  done
done
cut -f1 "$times" | awk '!seen[$0]++' | while read -r name; do
  grep -F "$name"$'\t' "$times" | cut -f2 | sort -n \
    | awk -v name="$name" '{ t[NR] = $1 } END { printf "%-26s median %5d ms  (min %d, max %d)\n", name, t[int((NR + 1) / 2)], t[1], t[NR] }'
done
echo "raw times: $times"
