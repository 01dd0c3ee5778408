#!/usr/bin/env bash
# Runtime benchmarks of issue 5 on the local SLURM cluster with the simulator.
#   usage: bench/run.sh [P1|P2|P3|P4|P6|all]   (P3 and P6 share one measurement: P36)
# Generates one-node configs (mode gen_only_no_context, 1 GPU, no --gres, one concurrency) under a temp dir,
# runs them through `dotnet test Disagg.Tests --no-build`, prints the numbers and ratios, and appends
# machine-readable lines "RESULT <key> <value>" to $BENCH_OUT (default bench/last-run.txt).
# Needs: the local cluster up, `set -a; . /work/main/.local-cluster/cluster.env; set +a`, `dotnet build Disagg.sln`.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
what=${1:-all}
tmp=$(mktemp -d /tmp/disagg-bench.XXXXXX)
out=${BENCH_OUT:-$here/last-run.txt}
stamp=$(date -u +%Y%m%d-%H%M%S)
P1_RUNS=${P1_RUNS:-3} P2_RUNS=${P2_RUNS:-3} P4_N=${P4_N:-16} P3_N=${P3_N:-32} WINDOW_S=${WINDOW_S:-60} SETTLE_S=${SETTLE_S:-25}
result() { echo "RESULT $*" | tee -a "$out"; }
runs=()
cleanup() { for r in "${runs[@]}"; do sweep_run "$r"; done; }
trap cleanup EXIT
stem() { echo "sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX_$1"; }
median() { sort -g | awk '{a[NR]=$1} END{ if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'; }
max() { sort -g | tail -1; }
mtime() { stat -c %.Y "$1"; }
phase_at() { awk -v p="$2" '{t=$1; $1=""; sub(/^ /,""); if (index($0, p) == 1) {print t; exit}}' "$1"; }
job_state() { squeue -h -t all -j "$1" -o %T 2>/dev/null; }

# ---- P1: injected worker crash -> test failed (verdict written) and job ended ----
p1() {
  local i dir res pid t_crash t_verdict t_end jid st f
  : > "$tmp/p1.txt"
  for ((i = 1; i <= P1_RUNS; i++)); do
    dir=$tmp/p1-$i; res=$dir/res; local run=bench-p1-$stamp-$i; runs+=("$run")
    mkdir -p "$dir"; gen_config "$dir/configs" "$(stem crash$i)" 1500 'gen_worker_env_var: "SIM_FAULT=crash_on_start"' > "$dir/list.txt"
    pid=$(start_tests "$dir/configs" "$dir/list.txt" "$res" 2 "$run")
    t_crash="" t_end="" jid=""
    # watch at 0.1 s for the worker's Traceback (the crash instant), then for the job to leave the running states
    while kill -0 "$pid" 2>/dev/null || [ -z "$t_end" ]; do
      f=$(ls "$res"/disagg_perf_*/gen_server_0.log 2>/dev/null | head -1)
      if [ -z "$t_crash" ] && [ -n "$f" ] && grep -q "Traceback" "$f"; then t_crash=$(now); fi
      if [ -n "$t_crash" ] && [ -z "$t_end" ]; then
        [ -n "$jid" ] || jid=$(ls "$res"/disagg_perf_*/slurm-*.err 2>/dev/null | sed 's/.*slurm-\([0-9]*\).err/\1/' | head -1)
        if [ -n "$jid" ]; then st=$(job_state "$jid"); case "$st" in PENDING|RUNNING|CONFIGURING|COMPLETING|"") ;; *) t_end=$(now); log "P1 run $i: job $jid $st";; esac; fi
      fi
      if ! kill -0 "$pid" 2>/dev/null && [ -z "$t_crash" ]; then break; fi
      sleep 0.1
    done
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    t_verdict=$(mtime "$res"/disagg_perf_*/results.json 2>/dev/null)
    if [ -z "$t_crash" ] || [ -z "$t_verdict" ] || [ -z "$t_end" ]; then log "P1 run $i: incomplete (crash=$t_crash verdict=$t_verdict end=$t_end); see $res"; continue; fi
    local passed; passed=$(python3 -c "import json,glob;print(json.load(open(glob.glob('$res/disagg_perf_*/results.json')[0]))['passed'])")
    local v e; v=$(fsub "$t_verdict" "$t_crash"); e=$(fsub "$t_end" "$t_crash")
    log "P1 run $i: job $jid, test passed=$passed; crash->verdict ${v}s, crash->job ended ${e}s"
    echo "$v $e $(awk -v a="$v" -v b="$e" 'BEGIN{print (a>b)?a:b}')" >> "$tmp/p1.txt"
  done
  result P1_runs "$(wc -l < "$tmp/p1.txt")"
  result P1_crash_to_verdict_median_s "$(awk '{print $1}' "$tmp/p1.txt" | median)"
  result P1_crash_to_job_end_median_s "$(awk '{print $2}' "$tmp/p1.txt" | median)"
  result P1_worst_s "$(awk '{print $3}' "$tmp/p1.txt" | max)"
  local w; w=$(awk '{print $3}' "$tmp/p1.txt" | median)
  result P1_median_s "$w"
  result P1_ratio_vs_goal_5s "$(fdiv "$w" 5)"
  result P1_speedup_vs_old_1800s "$(fdiv 1800 "$w")"
}

# ---- P2: benchmark done (job_phases.log 'done') -> verdict (results.json written) ----
p2_of() { # results dir -> lines "seconds"
  local d t_done t_v
  for d in "$1"/disagg_perf_*/; do
    [ -f "$d/results.json" ] && [ -f "$d/job_phases.log" ] || continue
    t_done=$(phase_at "$d/job_phases.log" "done"); [ -n "$t_done" ] || continue
    t_v=$(mtime "$d/results.json"); fsub "$t_v" "$t_done"; echo
  done
}
p2() {
  local i dir run
  : > "$tmp/p2.txt"
  for ((i = 1; i <= P2_RUNS; i++)); do
    dir=$tmp/p2-$i; run=bench-p2-$stamp-$i; runs+=("$run")
    mkdir -p "$dir"; gen_config "$dir/configs" "$(stem p2_$i)" 1500 > "$dir/list.txt"
    run_tests "$dir/configs" "$dir/list.txt" "$dir/res" 2 "$run" || log "P2 run $i: dotnet test rc=$? (see $dir/res/dotnet-test.log)"
    p2_of "$dir/res" >> "$tmp/p2.txt"
  done
  log "P2 samples: $(tr '\n' ' ' < "$tmp/p2.txt")"
  result P2_runs "$(grep -c . "$tmp/p2.txt")"
  result P2_done_to_verdict_median_s "$(median < "$tmp/p2.txt")"
  result P2_done_to_verdict_max_s "$(max < "$tmp/p2.txt")"
  result P2_ratio_vs_goal_2s "$(fdiv "$(median < "$tmp/p2.txt")" 2)"
}

job_times() { # results dir -> "queue_wait run_time submit_epoch end_epoch" per job (scontrol, 1 s resolution)
  local d j
  for d in "$1"/disagg_perf_*/; do
    j=$(ls "$d"/slurm-*.err 2>/dev/null | sed 's/.*slurm-\([0-9]*\).err/\1/'); [ -n "$j" ] || continue
    scontrol show job -o "$j" 2>/dev/null | python3 -c '
import sys,datetime as d
f=dict(t.split("=",1) for t in sys.stdin.read().split() if "=" in t)
p=lambda k: d.datetime.fromisoformat(f[k])
print((p("StartTime")-p("SubmitTime")).total_seconds(), (p("EndTime")-p("StartTime")).total_seconds(), p("SubmitTime").timestamp(), p("EndTime").timestamp())'
  done
}

# ---- P4: 16 equal tests at once vs one test, wall time of dotnet test ----
p4() {
  local dir s one many i run
  dir=$tmp/p4-1; run=bench-p4-$stamp-1; runs+=("$run")
  mkdir -p "$dir"; gen_config "$dir/configs" "$(stem p4_single)" 1500 > "$dir/list.txt"
  s=$(now); run_tests "$dir/configs" "$dir/list.txt" "$dir/res" 2 "$run" || log "P4 single: rc=$?"; one=$(fsub "$(now)" "$s")
  dir=$tmp/p4-$P4_N; run=bench-p4-$stamp-$P4_N; runs+=("$run"); : > "$dir.list"
  for ((i = 1; i <= P4_N; i++)); do gen_config "$dir/configs" "$(stem p4_$i)" 1500 >> "$dir.list"; done
  mkdir -p "$dir"; mv "$dir.list" "$dir/list.txt"
  log "P4: idle nodes before the $P4_N-test run: $(sinfo -h -t idle -o %D | grep . || echo 0), other jobs: $(squeue -h | wc -l)"
  s=$(now); run_tests "$dir/configs" "$dir/list.txt" "$dir/res" "$P4_N" "$run" || log "P4 $P4_N: rc=$?"; many=$(fsub "$(now)" "$s")
  log "P4: $(grep -E 'Passed!|Failed!' "$dir/res/dotnet-test.log")"
  result P4_one_test_wall_s "$one"
  result P4_${P4_N}_tests_wall_s "$many"
  result P4_ratio "$(fdiv "$many" "$one")"
  # from scontrol while SLURM still knows the jobs: queue wait, run time, and the span first submit -> last end
  job_times "$tmp/p4-1/res" > "$tmp/p4-one-jobs.txt"; job_times "$dir/res" > "$tmp/p4-jobs.txt"
  result P4_one_test_job_runtime_s "$(awk '{print $2}' "$tmp/p4-one-jobs.txt" | max)"
  if [ -s "$tmp/p4-jobs.txt" ]; then
    result P4_queue_wait_max_s "$(awk '{print $1}' "$tmp/p4-jobs.txt" | max)"
    result P4_job_runtime_median_s "$(awk '{print $2}' "$tmp/p4-jobs.txt" | median)"
    result P4_job_runtime_max_s "$(awk '{print $2}' "$tmp/p4-jobs.txt" | max)"
    local span; span=$(awk 'NR==1{lo=$3; hi=$4} {if ($3<lo) lo=$3; if ($4>hi) hi=$4} END{print hi-lo}' "$tmp/p4-jobs.txt")
    result P4_${P4_N}_jobs_span_first_submit_to_last_end_s "$span"
    result P4_runner_overhead_beyond_job_span_s "$(fsub "$many" "$span")"
    result P4_one_test_runner_overhead_s "$(fsub "$one" "$(awk '{print $4-$3}' "$tmp/p4-one-jobs.txt")")"
  fi
  p2_of "$dir/res" > "$tmp/p2-par.txt"
  result P2_under_${P4_N}_parallel_median_s "$(median < "$tmp/p2-par.txt")"
  result P2_under_${P4_N}_parallel_max_s "$(max < "$tmp/p2-par.txt")"
}

# ---- P3 + P6: N tests in flight (jobs wait for readiness), sdiag window and testhost RSS/CPU ----
rpc_types="REQUEST_JOB_INFO REQUEST_JOB_INFO_SINGLE REQUEST_FED_INFO REQUEST_PARTITION_INFO REQUEST_NODE_INFO REQUEST_SUBMIT_BATCH_JOB REQUEST_KILL_JOB"
inflight() { # n label -> RESULT lines; returns runner RPCs/min in $tmp/rpm-<label>
  local n=$1 label=$2 dir=$tmp/p3-$2 run=bench-p3-$stamp-$2 pid th i c0 c1 t0 t1 since0 since1 waited=0
  runs+=("$run"); long_wait_profile "$tmp/profile-long.yaml"; : > "$tmp/list-$label"
  for ((i = 1; i <= n; i++)); do gen_config "$dir/configs" "$(stem p3_${label}_$i)" 600000 >> "$tmp/list-$label"; done
  mv "$tmp/list-$label" "$dir/list.txt"
  pid=$(start_tests_profile "$dir/configs" "$dir/list.txt" "$dir/res" "$n" "$run" "$tmp/profile-long.yaml")
  # wait until every job is submitted, then let the start-up settle
  until [ "$(run_jobs_left "$run" | wc -l)" -ge "$n" ] || ((waited > 240)); do sleep 2; waited=$((waited + 2)); done
  sleep "$SETTLE_S"
  th=$(testhost_pid "$pid")
  local running pending; running=$(squeue -h -t R -o %k | grep -c "disagg-run=$run$"); pending=$(squeue -h -t PD -o %k | grep -c "disagg-run=$run$")
  log "in flight ($label): $running running, $pending pending; testhost pid $th"
  sdiag -r > /dev/null; since0=$(sdiag | awk -F': ' '/^Data since/ {print $2; exit}')
  read -r c0 cc0 < <(cpu_ticks "$th"); t0=$(now)
  sleep "$WINDOW_S"
  read -r c1 cc1 < <(cpu_ticks "$th"); t1=$(now)
  sdiag_counts > "$tmp/sdiag-$label.txt"; since1=$(sdiag | awk -F': ' '/^Data since/ {print $2; exit}')
  [ "$since0" = "$since1" ] || log "WARNING: sdiag was reset by someone else during the window ($since0 -> $since1); rerun"
  local secs hz; secs=$(fsub "$t1" "$t0"); hz=$(getconf CLK_TCK)
  local total=0 t v
  for t in $rpc_types; do v=$(awk -v t="$t" '$1 == t {print $2}' "$tmp/sdiag-$label.txt"); v=${v:-0}; total=$((total + v))
    result "P3_${label}_${t}_per_min" "$(awk -v v="$v" -v s="$secs" 'BEGIN{printf "%.1f", v*60/s}')"; done
  awk -v v="$total" -v s="$secs" 'BEGIN{printf "%.1f\n", v*60/s}' > "$tmp/rpm-$label"
  result "P3_${label}_runner_rpcs_per_min" "$(cat "$tmp/rpm-$label")"
  result "P3_${label}_all_rpcs_per_min" "$(awk -v s="$secs" '{t+=$2} END{printf "%.1f", t*60/s}' "$tmp/sdiag-$label.txt")"
  result "P3_${label}_running_pending" "$running/$pending"
  result "P6_${label}_testhost_rss_mb" "$(rss_mb "$th")"
  result "P6_${label}_testhost_peak_rss_mb" "$(hwm_mb "$th")"
  result "P6_${label}_testhost_cpu_pct_of_core" "$(awk -v a="$c0" -v b="$c1" -v s="$secs" -v hz="$hz" 'BEGIN{printf "%.2f", (b-a)/hz/s*100}')"
  result "P6_${label}_testhost_cpu_pct_incl_children" "$(awk -v a="$((c0 + cc0))" -v b="$((c1 + cc1))" -v s="$secs" -v hz="$hz" 'BEGIN{printf "%.2f", (b-a)/hz/s*100}')"
  # stop the runner as a user would (Ctrl-C to its process group); it cancels its jobs
  local s; s=$(now); kill -INT -- "-$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  local left waited2=0
  while left=$(run_jobs_left "$run" | wc -l); ((left > 0 && waited2 < 60)); do sleep 1; waited2=$((waited2 + 1)); done
  result "P3_${label}_sigint_to_all_jobs_gone_s" "$(fsub "$(now)" "$s")"
  result "P3_${label}_jobs_left_after_sigint" "$left"
}
start_tests_profile() { # like start_tests, with a cluster profile
  local profile=$6
  setsid bash -c '. "$0"; run_tests "$@"' "$repo/bench/lib.sh" "$1" "$2" "$3" "$4" "$5" "$profile" < /dev/null > /dev/null 2>&1 &
  echo $!
}
p36() {
  inflight 1 one
  inflight "$P3_N" many
  result P3_ratio_runner_rpcs "$(fdiv "$(cat "$tmp/rpm-many")" "$(cat "$tmp/rpm-one")")"
}

echo "# bench/run.sh $what at $(date -u '+%Y-%m-%d %H:%M:%S UTC') on $(hostname): nproc $(nproc), $(sinfo -V)" | tee -a "$out"
case "$what" in
  P1) p1 ;; P2) p2 ;; P4) p4 ;; P3|P6|P36) p36 ;;
  all) p1; p2; p4; p36 ;;
  *) echo "usage: bench/run.sh [P1|P2|P3|P4|P6|all]" >&2; exit 2 ;;
esac
log "work files kept in $tmp"
