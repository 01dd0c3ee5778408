#!/usr/bin/env bash
# Sums the counters of TRX files and prints one line: "Tests: N passed, N failed, N skipped".
# Exits 1 when no test ran, any test failed, or a run did not complete (aborted runs and
# OneTimeTearDown errors show up only in ResultSummary, not in JUnit).
set -euo pipefail
if [ "$#" -eq 0 ]; then echo "usage: scripts/trx-summary.sh FILE.trx..." >&2; exit 2; fi
passed=0 failed=0 skipped=0 total=0 bad_runs=0
for trx in "$@"; do
  if [ ! -s "$trx" ]; then echo "trx-summary: $trx is missing or empty" >&2; bad_runs=$((bad_runs + 1)); continue; fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  t=$(get total); e=$(get executed); p=$(get passed); f=$(get failed)
  err=$(get error); to=$(get timeout); ab=$(get aborted)
  outcome=$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$trx" | head -n 1 | sed 's/.*outcome="\([A-Za-z]*\)"/\1/')
  total=$((total + t)); passed=$((passed + p)); failed=$((failed + f + err + to + ab)); skipped=$((skipped + t - e))
  # "Failed" with zero failed tests means a run-level error (e.g. OneTimeTearDown); "Completed" and "Warning" are fine.
  if [ "$outcome" != "Completed" ] && [ "$outcome" != "Warning" ] && [ $((f + err + to + ab)) -eq 0 ]; then
    echo "trx-summary: $trx: run outcome is '$outcome' although no test failed (run-level error; see the TRX RunInfos)" >&2
    bad_runs=$((bad_runs + 1))
  fi
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$total" -eq 0 ] || [ $((total - skipped)) -eq 0 ]; then echo "trx-summary: no test ran" >&2; exit 1; fi
[ "$failed" -eq 0 ] && [ "$bad_runs" -eq 0 ]
