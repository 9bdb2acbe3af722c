#!/usr/bin/env bash
# Turns bench/run.sh's raw figures (case, measurement, min, median, max in ms) into the Markdown
# tables of README "Performance": each figure as a ratio to its anchor measured in the same run,
# then the targets of the benchmark issue, each met or missed.
#
#   bench/report.sh raw.tsv runs
set -euo pipefail
RAW=$1
RUNS=${2:-?}

awk -F'\t' -v runs="$RUNS" '
function anchor(label) {
  if (label ~ /^psql, one transaction per file|^Flyway API|^mvn flyway:migrate$|^mvn bemserver:db-upgrade$/) return "psql floor, one transaction"
  if (label ~ /db-downgrade/) return "psql undo floor, one transaction"
  if (label ~ /db-setup/) return "psql of the model, one transaction"
  if (label ~ /db-check/) return "check floor: psql migrations + psql model + mvn db-current (embedded)"
  if (label ~ /db-script/) return "mvn bemserver:db-upgrade -Dbemserver.dryRun=true (empty database)"
  if (label ~ /db-drift/) return "drift floor: psql migrations + mvn db-current (embedded) + pg_dump"
  if (label ~ /db-lint/) return "lint floor: psql migrations (fsync off) + mvn db-current (embedded)"
  if (label ~ /plugin loaded, no work/) return "maven start (mvn validate)"
  if (label ~ /db-current \(at head\)/) return "mvn flyway:info (at head)"
  if (label ~ /db-upgrade \(at head\)/) return "mvn flyway:migrate (at head)"
  if (label ~ /floor/ || label ~ /dryRun/) return ""
  if (label ~ /^snapshot/) return "pg_dump --schema-only"
  return ""
}
function ratio(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "-" }
function check(name, value, limit) {
  targets = targets sprintf("| %s | %.2f | %s | %s |\n", name, value, limit, (value <= limit + 0) ? "met" : "**missed**")
}
{
  key = $1 SUBSEP $2
  if (!($1 in seen)) { seen[$1] = 1; order[++cases] = $1 }
  labels[$1, ++count[$1]] = $2
  lo[key] = $3; med[key] = $4; hi[key] = $5
}
END {
  for (c = 1; c <= cases; c++) {
    k = order[c]
    title = k
    if (k ~ /^h/) title = substr(k, 2) " revisions (history corpus)"
    else if (k ~ /^w/) title = substr(k, 2) " tables in one revision"
    else if (k ~ /^scale/) continue
    printf "#### %s\n\n| Measurement | min ms | median ms | max ms | × its anchor | × mvn flyway:migrate |\n|---|---:|---:|---:|---:|---:|\n", title
    for (i = 1; i <= count[k]; i++) {
      l = labels[k, i]; a = anchor(l)
      r1 = (a == "") ? "anchor" : ratio(med[k SUBSEP l], med[k SUBSEP a]) " (" a ")"
      fm = med[k SUBSEP "mvn flyway:migrate"]
      r2 = (l ~ /^(psql, one|Flyway API|mvn bemserver:db-upgrade$|mvn flyway:migrate$)/) ? ratio(med[k SUBSEP l], fm) : ""
      printf "| %s | %d | %d | %d | %s | %s |\n", l, lo[k SUBSEP l], med[k SUBSEP l], hi[k SUBSEP l], r1, r2
    }
    printf "\n"
    start = med[k SUBSEP "maven start (mvn validate)"]
    if (k == "h100") {
      # the fixed cost: seconds above the Maven start, and the short runs against their floor
      check(title ": db-current at head, s above Maven start", (med[k SUBSEP "mvn bemserver:db-current (at head)"] - start) / 1000, 0.4)
      check(title ": db-upgrade at head (nothing to apply), s above Maven start", (med[k SUBSEP "mvn bemserver:db-upgrade (at head)"] - start) / 1000, 0.4)
      check(title ": db-upgrade / (psql floor + one Maven start)",
        med[k SUBSEP "mvn bemserver:db-upgrade"] / (med[k SUBSEP "psql floor, one transaction"] + start), 1.25)
      check(title ": db-setup / (psql of the model + one Maven start)",
        med[k SUBSEP "mvn bemserver:db-setup"] / (med[k SUBSEP "psql of the model, one transaction"] + start), 1.25)
      check(title ": db-downgrade base / (psql undo floor + one Maven start)",
        med[k SUBSEP "mvn bemserver:db-downgrade -Dbemserver.revision=base"] / (med[k SUBSEP "psql undo floor, one transaction"] + start), 1.25)
    }
    if (k != "h1000") continue  # the other targets are set on the 1000-revision corpus
    up = med[k SUBSEP "mvn bemserver:db-upgrade"]
    check(title ": db-upgrade / mvn flyway:migrate", up / med[k SUBSEP "mvn flyway:migrate"], 0.6)
    check(title ": db-upgrade / (psql floor + one Maven start)", up / (med[k SUBSEP "psql floor, one transaction"] + start), 1.2)
    check(title ": db-downgrade base / (psql undo floor + one Maven start)",
      med[k SUBSEP "mvn bemserver:db-downgrade -Dbemserver.revision=base"] / (med[k SUBSEP "psql undo floor, one transaction"] + start), 1.3)
    checkFloor = med[k SUBSEP "check floor: psql migrations + psql model + mvn db-current (embedded)"]
    check(title ": db-check without stairway / (psql migrations + psql model + Maven and embedded server start)",
      med[k SUBSEP "mvn bemserver:db-check -Dbemserver.stairway=false"] / checkFloor, 1.5)
    check(title ": db-check with stairway / the same floor", med[k SUBSEP "mvn bemserver:db-check (stairway)"] / checkFloor, 2.5)
    check(title ": db-current / mvn flyway:info, at head", med[k SUBSEP "mvn bemserver:db-current (at head)"] / med[k SUBSEP "mvn flyway:info (at head)"], 1)
    dry = med[k SUBSEP "mvn bemserver:db-upgrade -Dbemserver.dryRun=true (empty database)"]
    check(title ": db-script from base / db-upgrade dry run", med[k SUBSEP "mvn bemserver:db-script -Dbemserver.from=base"] / dry, 1.2)
    check(title ": db-drift at head / (psql migrations + Maven and embedded server start + pg_dump)",
      med[k SUBSEP "mvn bemserver:db-drift (at head)"] / med[k SUBSEP "drift floor: psql migrations + mvn db-current (embedded) + pg_dump"], 1.5)
    check(title ": db-lint of every revision / (psql migrations on a server like the throwaway one + Maven and embedded server start)",
      med[k SUBSEP "mvn bemserver:db-lint -Dbemserver.since=base"] / med[k SUBSEP "lint floor: psql migrations (fsync off) + mvn db-current (embedded)"], 1.5)
  }
  printf "#### Snapshot against pg_dump --schema-only (one revision of T tables)\n\n"
  printf "| Tables | pg_dump ms | snapshot, whole new JVM ms | first snapshot in a new JVM ms | warm snapshot ms | first / pg_dump | warm / pg_dump | warm ms per 100 tables |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n"
  for (c = 1; c <= cases; c++) {
    k = order[c]
    if (k !~ /^scale/) continue
    t = substr(k, 6)
    for (i = 1; i <= count[k]; i++) {
      if (labels[k, i] ~ /warm/) warm = med[k SUBSEP labels[k, i]]
      if (labels[k, i] ~ /first in a new JVM/) first = med[k SUBSEP labels[k, i]]
    }
    dumpms = med[k SUBSEP "pg_dump --schema-only"]; whole = med[k SUBSEP "snapshot (new JVM, whole process)"]
    printf "| %d | %d | %d | %.0f | %.0f | %s | %s | %.1f |\n", t, dumpms, whole, first, warm, ratio(first, dumpms), ratio(warm, dumpms), warm * 100 / t
    if (t == 1000) {
      check("1000 tables: warm snapshot / pg_dump", warm / dumpms, 0.5)
      check("1000 tables: first snapshot in a new JVM / pg_dump", first / dumpms, 1)
      check("1000 tables: whole new JVM for one snapshot / pg_dump (informative; a JVM start is not a snapshot)", whole / dumpms, 1)
    }
    per[++n] = warm / t; tables[n] = t
  }
  if (n >= 2) check("snapshot cost per table, " tables[n] " tables / " tables[1] " tables (linear: about 1)", per[n] / per[1], 1.5)
  printf "\n#### Targets (medians of %s runs)\n\n| Target | Ratio | Limit | |\n|---|---:|---:|---|\n%s", runs, targets
}' "$RAW"
