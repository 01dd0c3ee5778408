#!/usr/bin/env bash
# Runs Disagg perf tests: the CI and human entry point. See README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  cat <<USAGE
Usage: run_disagg_test.sh [options]
       run_disagg_test.sh <verb> [args...]    (the disagg CLI: validate, list, render, report, junit, upload-pending, cancel, reevaluate,
                                              trend, pareto, compare, nodes, baseline)

Runs the perf tests of a test list as real SLURM jobs and writes TRX and JUnit reports.

Options:
  --test-list FILE        test list to run (default: test-lists/local-smoke.txt)
  --filter EXPR           dotnet test filter, e.g. "TestCategory=perf" or "Name~sim-tiny"
  --results-dir DIR       where reports, rendered jobs and logs go (default: results/<timestamp>)
  --cluster-profile FILE  cluster profile (default: clusters/local.yaml)
  --local                 install and start the local SLURM cluster first (scripts/local-cluster.sh up)
  --dry-run               render every selected test's job into the results dir (<results>/<test id>/job.sbatch, ...)
                          without submitting anything (DISAGG_DRY_RUN=1); no report is written
  --no-build              skip 'dotnet build Disagg.sln' (already built)
  --max-jobs N            jobs in flight at once: each test holds one NUnit worker while its job runs (default 8)
  --allow-upload-failure  exit 0 even when an upload to OpenSearch or the Perf DB still failed after retries
                          (<results>/upload-failures.txt); the results stay in <results>/outbox for upload-pending
  --compare-to RUN        at the end, compare this run with RUN from the Perf DB ('baseline': the newest earlier run of
                          the same tests that all passed) into <results>/compare.md, compare.html and summary.md
  --infra-retries N       resubmit a test that failed for infrastructure reasons (node, transport, GPU Xid, step creation)
                          up to N times, excluding the implicated nodes, within the list's TIMEOUT (default 1; 0: never)
  --avoid-suspect-nodes   exclude nodes with DISAGG_SUSPECT_NODE_THRESHOLD (2) infrastructure failures in the last
                          DISAGG_SUSPECT_NODE_DAYS (7) days of the bad-node ledger ('run_disagg_test.sh nodes' lists them)
  --help                  show this help

CLI verbs (first argument not an option): run_disagg_test.sh <verb> --help for each, e.g.
  run_disagg_test.sh validate configs test-lists
  run_disagg_test.sh list --test-list test-lists/local-smoke.txt
  run_disagg_test.sh render configs/disagg/perf/<stem>.yaml --profile local --out /tmp/job
  run_disagg_test.sh upload-pending "\$RESULTS_DIR"
  run_disagg_test.sh cancel <run-id>        (run id: DISAGG_RUN_ID, else the results folder's name)
They run Disagg.Cli (built first unless --no-build comes before the verb) and exit with its code.

Exit code: 0 when every selected test passed; non-zero when any failed, none ran, or the run broke; 2 for a bad option;
3 when every test passed but an upload failed (listed in <results>/upload-failures.txt), unless --allow-upload-failure.
USAGE
}

flags=(--test-list --filter --results-dir --cluster-profile --local --dry-run --no-build --max-jobs --allow-upload-failure
  --compare-to --infra-retries --avoid-suspect-nodes --help)
verbs=(validate list render report junit upload-pending cancel reevaluate trend pareto compare nodes baseline)

# Levenshtein distance, so a misspelled flag gets the nearest valid one.
distance() {
  local a=$1 b=$2 i j cost
  local -a prev cur
  for ((j = 0; j <= ${#b}; j++)); do prev[j]=$j; done
  for ((i = 1; i <= ${#a}; i++)); do
    cur[0]=$i
    for ((j = 1; j <= ${#b}; j++)); do
      [ "${a:i-1:1}" = "${b:j-1:1}" ] && cost=0 || cost=1
      cur[j]=$((prev[j] + 1))
      ((cur[j - 1] + 1 < cur[j])) && cur[j]=$((cur[j - 1] + 1))
      ((prev[j - 1] + cost < cur[j])) && cur[j]=$((prev[j - 1] + cost))
    done
    prev=("${cur[@]}")
  done
  echo "${prev[${#b}]}"
}

nearest_flag() {
  local word=${1%%=*} best="" best_d=99 f d
  for f in "${flags[@]}"; do
    d=$(distance "$word" "$f")
    # a flag that contains the word (--config → --cluster-profile is not; --test → --test-list is) counts as close
    case "$f" in *"${word#--}"*) d=$((d < 3 ? d : 3)) ;; esac
    if ((d < best_d)); then best=$f; best_d=$d; fi
  done
  echo "$best"
}

# Flags of the old submit.py chain map to their Disagg equivalent rather than to the nearest spelling.
old_chain_flag() {
  case "${1%%=*}" in
    --config|--config-yaml|-c|--dir|-d|--test_list|--testlist) echo "--test-list" ;;
    --log-dir|--output-path|--output) echo "--results-dir" ;;
    *) echo "" ;;
  esac
}

die_flag() {
  local suggestion
  suggestion=$(old_chain_flag "$1")
  [ -n "$suggestion" ] || suggestion=$(nearest_flag "$1")
  echo "run_disagg_test.sh: unknown option '$1'. Did you mean '$suggestion'?" >&2
  case "$suggestion" in
    --test-list) [ "${1#--test}" = "$1" ] && echo "  Configs are chosen by test id through a test list (one id per line, see test-lists/); narrow a run with --filter." >&2 ;;
  esac
  echo "  Run 'run_disagg_test.sh --help' for all options." >&2
  exit 2
}

need_value() { [ "$#" -ge 2 ] && [ -n "$2" ] && [ "${2#--}" = "$2" ] || { echo "run_disagg_test.sh: option '$1' needs a value" >&2; exit 2; }; }
# --name=VALUE: an empty VALUE is an error, not "use the default" (--test-list= would silently run the default list).
eq_value() { [ -n "${1#*=}" ] || { echo "run_disagg_test.sh: option '${1%%=*}' needs a value (got '$1')" >&2; exit 2; }; printf '%s' "${1#*=}"; }

build() { dotnet build "$here/Disagg.sln" --nologo -v quiet -clp:ErrorsOnly; }

test_list="" filter="" results_dir="" profile="" local_cluster=0 dry_run=0 no_build=0 max_jobs=${DISAGG_MAX_JOBS:-8} allow_upload_failure=0
compare_to=""
infra_retries=${DISAGG_INFRA_RETRIES:-1} avoid_suspect_nodes=${DISAGG_AVOID_SUSPECT_NODES:-0}
while [ "$#" -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1; shift ;;
    --no-build) no_build=1; shift ;;
    --max-jobs) need_value "$@"; max_jobs=$2; shift 2 ;;
    --max-jobs=*) max_jobs=$(eq_value "$1") || exit 2; shift ;;
    --allow-upload-failure) allow_upload_failure=1; shift ;;
    --compare-to) need_value "$@"; compare_to=$2; shift 2 ;;
    --compare-to=*) compare_to=$(eq_value "$1") || exit 2; shift ;;
    --infra-retries) need_value "$@"; infra_retries=$2; shift 2 ;;
    --infra-retries=*) infra_retries=$(eq_value "$1") || exit 2; shift ;;
    --avoid-suspect-nodes) avoid_suspect_nodes=1; shift ;;
    --test-list) need_value "$@"; test_list=$2; shift 2 ;;
    --test-list=*) test_list=$(eq_value "$1") || exit 2; shift ;;
    --filter) need_value "$@"; filter=$2; shift 2 ;;
    --filter=*) filter=$(eq_value "$1") || exit 2; shift ;;
    --results-dir) need_value "$@"; results_dir=$2; shift 2 ;;
    --results-dir=*) results_dir=$(eq_value "$1") || exit 2; shift ;;
    --cluster-profile) need_value "$@"; profile=$2; shift 2 ;;
    --cluster-profile=*) profile=$(eq_value "$1") || exit 2; shift ;;
    --local) local_cluster=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die_flag "$1" ;;
    *)
      # A CLI verb: hand the rest of the command line to Disagg.Cli.
      case " ${verbs[*]} " in
        *" $1 "*) [ "$no_build" = 1 ] || build >&2; exec dotnet "$here/Disagg.Cli/bin/Debug/net10.0/disagg.dll" "$@" ;;
      esac
      echo "run_disagg_test.sh: unknown command '$1'; verbs: ${verbs[*]}. Run 'run_disagg_test.sh --help'." >&2
      exit 2 ;;
  esac
done

case "$max_jobs" in ''|*[!0-9]*|0) echo "run_disagg_test.sh: --max-jobs needs a positive number, got '$max_jobs'" >&2; exit 2 ;; esac
case "$compare_to" in
  *[!A-Za-z0-9_.-]*) echo "run_disagg_test.sh: --compare-to needs 'baseline' or a run id (letters, digits, _ . -), got '$compare_to'" >&2; exit 2 ;;
esac
case "$infra_retries" in ''|*[!0-9]*) echo "run_disagg_test.sh: --infra-retries needs a number (0 or more), got '$infra_retries'" >&2; exit 2 ;; esac
abspath() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
test_list=$(abspath "${test_list:-$here/test-lists/local-smoke.txt}")
[ -f "$test_list" ] || { echo "run_disagg_test.sh: test list '$test_list' not found" >&2; exit 2; }
results_dir=$(abspath "${results_dir:-$here/results/$(date -u +%Y%m%d-%H%M%S)}")
profile=$(abspath "${profile:-$here/clusters/local.yaml}")
[ -f "$profile" ] || { echo "run_disagg_test.sh: cluster profile '$profile' not found" >&2; exit 2; }
mkdir -p "$results_dir"

if [ "$local_cluster" = 1 ]; then
  bash "$here/scripts/local-cluster.sh" up
fi

# What the report's run-environment block shows as the commit (Disagg.Harness/Reporting/RunEnvironment.cs reads it).
# The same commit labels the run's Perf DB rows (perf_tests.git_commit) when no CI variable names one (docs/history.md).
export DISAGG_GIT_COMMIT="${CI_COMMIT_SHA:-${GIT_COMMIT:-$(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)}}"
{
  echo "commit=$DISAGG_GIT_COMMIT"
  echo "gpu_type=${GPU_TYPE:-}"
} >"$results_dir/run_environment.txt"

echo "[disagg] test list $test_list; results $results_dir; cluster profile $profile$([ "$dry_run" = 1 ] && echo "; dry run: render only, nothing is submitted")"
# --no-build, or DISAGG_SKIP_BUILD=1 (the harness's own tests call this script from a running build), reuse the build.
[ "$no_build" = 1 ] || [ "${DISAGG_SKIP_BUILD:-0}" = 1 ] || build

args=(test "$here/Disagg.Tests" --no-build --nologo
  --results-directory "$results_dir"
  --logger "trx;LogFileName=disagg-perf.trx"
  --logger "junit;LogFileName=disagg-perf.junit.xml;MethodFormat=Class;FailureBodyFormat=Verbose"
  --logger "console;verbosity=normal")
[ -n "$filter" ] && args+=(--filter "$filter")
# A passing test whose upload failed ends with Assert.Warn; it must stay passed in TRX/JUnit (the adapter's default is Skipped).
args+=(-- RunConfiguration.TreatNoTestsAsError=true NUnit.MapWarningTo=Passed "NUnit.NumberOfTestWorkers=$max_jobs")

set +e
# Without PostgreSQL the Perf DB is one SQLite file kept across runs, so the regression rule has history offline.
export DISAGG_PERFDB_SQLITE="${DISAGG_PERFDB_SQLITE:-$here/results/perfdb.sqlite}"
mkdir -p "$(dirname "$DISAGG_PERFDB_SQLITE")"
DISAGG_TEST_LIST="$test_list" DISAGG_RESULTS_DIR="$results_dir" DISAGG_CLUSTER_PROFILE="$profile" DISAGG_REPO_ROOT="$here" \
  DISAGG_DRY_RUN="$dry_run" DISAGG_INFRA_RETRIES="$infra_retries" DISAGG_AVOID_SUSPECT_NODES="$avoid_suspect_nodes" dotnet "${args[@]}"
rc=$?
set -e
# The logger's JUnit fails the Jenkins xUnit plugin's schema and carries absolute attachment paths: rewrite it for GitLab and
# Jenkins (attachments relative to CI_PROJECT_DIR / WORKSPACE / this repo). A failure here is loud but keeps the tests' verdict.
dotnet "$here/Disagg.Cli/bin/Debug/net10.0/disagg.dll" junit "$results_dir" ||
  echo "[disagg] JUnit rewrite failed; $results_dir/disagg-perf.junit.xml is as the logger wrote it" >&2
summary_rc=0
bash "$here/scripts/trx-summary.sh" "$results_dir/disagg-perf.trx" || summary_rc=$?
if [ "$dry_run" = 1 ]; then
  echo "[disagg] dry run: rendered jobs (nothing submitted):"
  find "$results_dir" -mindepth 2 -maxdepth 2 -name job.sbatch | sort | sed 's/^/  /'
  if [ "$rc" -ne 0 ]; then exit "$rc"; fi
  exit "$summary_rc"
fi
# report.html, summary.md and perf_script_test_results.csv from the per-test results.json; a failure here is loud but
# does not change the exit code, which stays the tests' verdict.
dotnet "$here/Disagg.Cli/bin/Debug/net10.0/disagg.dll" report "$results_dir" || echo "[disagg] report generation failed; TRX and JUnit are unaffected" >&2
echo "[disagg] reports: $results_dir/report.html, summary.md, disagg-perf.trx, disagg-perf.junit.xml; per-test folders under $results_dir"
# --compare-to: this run against a stored one (docs/history.md); informative, it never changes the exit code.
if [ -n "$compare_to" ]; then
  dotnet "$here/Disagg.Cli/bin/Debug/net10.0/disagg.dll" compare "$compare_to" --results-dir "$results_dir" ||
    echo "[disagg] comparison with '$compare_to' failed (see above); the run's verdict is unaffected" >&2
fi
# Uploads that still failed after retries (one line each: test id, destination, reason, outbox path). They never change
# a test's verdict, but the run is not done until they are delivered: non-zero unless --allow-upload-failure.
upload_rc=0
upload_failures="$results_dir/upload-failures.txt"
if [ -s "$upload_failures" ]; then
  echo "[disagg] $(wc -l <"$upload_failures") upload(s) failed after retries; the results are kept in $results_dir/outbox:"
  awk -F '\t' '{ printf "  %s -> %s: %s\n      kept in %s\n", $1, $2, $3, $4 }' "$upload_failures"
  echo "  resend with: $0 upload-pending \"$results_dir\""
  if [ "$allow_upload_failure" = 1 ]; then
    echo "[disagg] --allow-upload-failure: the exit code ignores these upload failures" >&2
  else
    echo "[disagg] exiting non-zero for the upload failures (pass --allow-upload-failure to tolerate them)" >&2
    upload_rc=3
  fi
fi
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
if [ "$summary_rc" -ne 0 ]; then exit "$summary_rc"; fi
exit "$upload_rc"
