#!/usr/bin/env bash
# The project's test command (README, .ci/run): starts the local SLURM cluster (installing it when
# missing), builds, runs the harness and simulator test suites and the local smoke perf test through
# run_disagg_test.sh, then prints one line computed from every TRX file: "Tests: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
results=${DISAGG_TEST_RESULTS:-$here/TestResults/run-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$results"

step() { echo; echo "=== $* ($(date -u +%H:%M:%S))"; }

step "local cluster"
bash scripts/local-cluster.sh up || { echo "test.sh: the local cluster did not start; see above" >&2; exit 1; }
state=${DISAGG_CLUSTER_STATE:-$here/.local-cluster}
set -a
# shellcheck disable=SC1091
. "$state/cluster.env"
set +a

step "chromium (HTML report screenshot test)"
bash scripts/ensure-chromium.sh || { echo "test.sh: chromium could not be installed; the report screenshot test will fail" >&2; }

step "build"
dotnet build Disagg.sln --nologo -v quiet -clp:ErrorsOnly || { echo "test.sh: build failed" >&2; exit 1; }

status=0
for project in Disagg.Harness.Tests Disagg.Sim.Tests; do
  [ -d "$project" ] || continue
  step "$project"
  dotnet test "$project" --no-build --nologo --results-directory "$results" \
    --logger "trx;LogFileName=$project.trx" \
    --logger "junit;LogFileName=$project.junit.xml;MethodFormat=Class;FailureBodyFormat=Verbose" \
    --blame-hang-timeout 10m --blame-hang-dump-type none \
    -- RunConfiguration.TreatNoTestsAsError=true || status=1
done

step "smoke perf test on the local cluster"
./run_disagg_test.sh --test-list test-lists/local-smoke.txt --results-dir "$results/smoke" || status=1

step "summary"
trx=("$results"/*.trx "$results/smoke/disagg-perf.trx")
bash scripts/trx-summary.sh "${trx[@]}" || status=1
echo "Reports: $results"
exit "$status"
