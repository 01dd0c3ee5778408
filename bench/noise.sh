#!/usr/bin/env bash
# Benchmark of issue 17 (bench/RESULTS.md, "noise"): false-positive rate, detection rate and extra job time of the
# fixed regression rule and the noise-aware one (in-allocation confirmation), on real jobs of the local cluster.
#   usage: bench/noise.sh            (env: CAL_RUNS=15 AA_RUNS=40 SLOW_RUNS=40 WORKERS=2 SLOWDOWN=1.10)
# Method:
#   - every job: the smoke config (e2e, 1 ctx + 1 gen server), concurrencies 1 and 4, 4 rounds, SIM_DECODE_STEP_MS=20, gating
#     metric median_tpot_ms, pre-merge tolerance 5 %, simulator noise SIM_JITTER=0.05 (per iteration), SIM_BLOCK_NOISE=0.03
#     (per benchmark block) and SIM_RUN_DRIFT=0.01 (per job), a different SIM_NOISE_SEED per job; the machine adds its own noise.
#   - calibration: CAL_RUNS A/A jobs without history; their median TPOT per concurrency becomes the history (one record a day)
#     every later job is judged against (DISAGG_HISTORY_FILE; no Perf DB, no OpenSearch).
#   - AA_RUNS A/A jobs and SLOW_RUNS jobs with SIM_SLOWDOWN (a true slowdown of every iteration), rule noise_aware live (with
#     repeats); the fixed rule is judged on the same jobs by `disagg reevaluate` with a copy of the config saying rule: fixed
#     (it reads the planned blocks only). A job is flagged when any case fails.
#   - extra time: the repeats' seconds (results.json "confirmation") over the job's running time without them.
# At most WORKERS jobs run at once (NUnit workers). Snapshots the built tree first, so rebuilding meanwhile is safe.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${NOISE_SNAPSHOT:-}" ]; then
  snap=$(mktemp -d /tmp/disagg-noise-snap.XXXXXX)
  (cd "$src" && tar --exclude=./.git --exclude=./TestResults --exclude=./results -cf - .) | (cd "$snap" && tar -xf -)
  NOISE_SNAPSHOT=1 NOISE_OUT_DIR="$src/bench" exec bash "$snap/bench/noise.sh" "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
CAL_RUNS=${CAL_RUNS:-15} AA_RUNS=${AA_RUNS:-40} SLOW_RUNS=${SLOW_RUNS:-40} WORKERS=${WORKERS:-2} SLOWDOWN=${SLOWDOWN:-1.10}
NOISE_ENV=${NOISE_ENV:-SIM_DECODE_STEP_MS=20 SIM_JITTER=0.05 SIM_BLOCK_NOISE=0.03 SIM_RUN_DRIFT=0.01}
out=${NOISE_OUT_DIR:-$here}/noise-last-run.txt
work=$(mktemp -d /tmp/disagg-noise.XXXXXX)
stamp=$(date -u +%Y%m%d-%H%M%S)
log "work dir $work (repo snapshot $repo)"
unset DISAGG_PERFDB_CONNECTION OPEN_SEARCH_DB_BASE_URL DISAGG_HISTORY_FILE
export UPLOAD_TO_PERFDB=false
smoke="$repo/Disagg.Harness.Tests/Fixtures/configs/smoke.yaml"
runs=()
trap 'for r in "${runs[@]}"; do sweep_run "$r"; done' EXIT

# noise_config <root> <stem> <seed> <extra env> <rule or "">: one job's config; prints its test id
noise_config() {
  local root=$1 stem=$2 seed=$3 extra=$4 rule=$5
  mkdir -p "$root/disagg/perf"
  python3 - "$smoke" "$root/disagg/perf/$stem.yaml" "$seed" "$extra" "$rule" "$NOISE_ENV" <<'PY'
import sys
src, dst, seed, extra, rule, noise = sys.argv[1:]
t = open(src).read()
start, end = t.index("thresholds:"), t.index("worker_config:")
section = "thresholds: []\nregression:\n  gating_metrics: [median_tpot_ms]\n  pre_merge_tolerance: 0.05\n" + (f"  rule: {rule}\n" if rule else "")
t = t[:start] + section + t[end:]
t = t.replace('job_name: disagg-smoke', 'job_name: disagg-noise').replace('extra_args: "--gres=gpu:4"', 'extra_args: ""')
t = t.replace('  worker_env_var: "TLLM_LOG_LEVEL=INFO', f'  worker_env_var: "{noise} SIM_NOISE_SEED={seed} {extra} TLLM_LOG_LEVEL=INFO')
open(dst, "w").write(t)
PY
  echo "disagg_perf_$stem"
}

# phase: <name> <count> <seed base> <extra env>: generates configs + list, runs them, prints the results dir
run_phase() {
  local name=$1 count=$2 base=$3 extra=$4 i id
  local root=$work/$name/configs list=$work/$name/list.txt res=$work/$name/results run=noise-$name-$stamp
  mkdir -p "$work/$name"; : > "$list"; runs+=("$run")
  for ((i = 1; i <= count; i++)); do
    id=$(noise_config "$root" "$(printf 'noise_%s_%02d' "$name" "$i")" $((base + i)) "$extra" "")
    echo "$id" >> "$list"
  done
  local t0; t0=$(now)
  log "phase $name: $count jobs, $WORKERS at a time"
  run_tests "$root" "$list" "$res" "$WORKERS" "$run"
  log "phase $name: done in $(fsub "$(now)" "$t0") s (dotnet test exit $?)"
  sweep_run "$run"
}

run_phase cal "$CAL_RUNS" 1000 ""
# History: calibration job k's median TPOT per concurrency, dated k days ago, for every case of the measured phases.
python3 - "$work" "$AA_RUNS" "$SLOW_RUNS" > "$work/history.json" <<'PY'
import json, glob, sys, datetime
work, aa, slow = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cal = []
for f in sorted(glob.glob(f"{work}/cal/results/*/results.json")):
    r = json.load(open(f))
    vals = {c["concurrency"]: c["metrics"].get("median_tpot_ms") for c in (r.get("concurrencies") or [])}
    if all(v is not None for v in vals.values()) and vals: cal.append(vals)
now = datetime.datetime.now(datetime.timezone.utc)
records = []
for name, n in (("aa", aa), ("slow", slow)):
    for i in range(1, n + 1):
        stem = f"noise_{name}_{i:02d}"
        for k, vals in enumerate(cal):
            for c, v in vals.items():
                records.append({"timestamp": (now - datetime.timedelta(days=k + 1)).isoformat(),
                                "test_case_name": f"e2e-{stem}-con{c}_iter4_isl128_osl32", "gpu_type": "unsupported",
                                "runtime": "multi_node_disagg_server", "branch": "main", "post_merge": True,
                                "metrics": {"median_tpot_ms": v}})
print(json.dumps(records))
print(f"calibration jobs with values: {len(cal)}", file=sys.stderr)
PY
export DISAGG_HISTORY_FILE=$work/history.json
run_phase aa "$AA_RUNS" 2000 ""
run_phase slow "$SLOW_RUNS" 3000 "SIM_SLOWDOWN=$SLOWDOWN"

# The fixed rule on the same jobs: the same config with rule: fixed, judged by `disagg reevaluate` (exit 0 pass, 1 fail).
for name in aa slow; do
  mkdir -p "$work/$name/fixed"
  for d in "$work/$name"/results/disagg_perf_*/; do
    id=$(basename "$d"); stem=${id#disagg_perf_}
    sed 's/^  pre_merge_tolerance: 0.05$/  pre_merge_tolerance: 0.05\n  rule: fixed/' "$work/$name/configs/disagg/perf/$stem.yaml" > "$work/$name/fixed/$stem.yaml"
    dotnet "$repo/Disagg.Cli/bin/Debug/net10.0/disagg.dll" reevaluate "$d" --config "$work/$name/fixed/$stem.yaml" > "$d/fixed-rule.txt" 2>&1
    echo $? > "$d/fixed-rule.rc"
  done
done

python3 "$here/noise_report.py" "$work" "$out"
log "results appended to $out; work dir $work"
