# Shared helpers of bench/run.sh (sourced). Generates small one-node simulator configs and runs them.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sample="$repo/configs/disagg/perf/sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX.yaml"
BENCH_MODE=${BENCH_MODE:-gen_only_no_context}   # one node, one gen server per job
BENCH_JOB_NAME=${BENCH_JOB_NAME:-disagg-bench}

now() { date +%s.%N; }
fsub() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a-b}'; }
fdiv() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b == 0 || a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", a/b}'; }
log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

# gen_config <root> <stem> <sim_load_ms> [extra yaml line for environment, e.g. gen_worker_env_var: "SIM_FAULT=crash_on_start"]
# -> writes <root>/disagg/perf/<stem>.yaml and prints its test id.
gen_config() {
  local root=$1 stem=$2 load=$3 extra=${4:-}
  mkdir -p "$root/disagg/perf"
  sed -e "s/job_name: disagg-smoke/job_name: $BENCH_JOB_NAME/" \
      -e 's/extra_args: "--gres=gpu:4"/extra_args: ""/' \
      -e 's/job_time: "00:10:00"/job_time: "00:08:00"/' \
      -e "s/mode: e2e/mode: $BENCH_MODE/" \
      -e 's/multi_round: 4/multi_round: 1/' \
      -e 's/concurrency_list: "1 4"/concurrency_list: "1"/' \
      -e 's/gpus_per_node: 4/gpus_per_node: 1/' \
      -e "s/worker_env_var: \"TLLM_LOG_LEVEL=INFO /worker_env_var: \"SIM_LOAD_MS=$load TLLM_LOG_LEVEL=INFO /" \
      -e '/output_token_throughput >= 5 at c=4/d' \
      "$sample" > "$root/disagg/perf/$stem.yaml"
  if [ -n "$extra" ]; then
    sed -i "s|^  server_env_var: |  $extra\n  server_env_var: |" "$root/disagg/perf/$stem.yaml"
  fi
  echo "disagg_perf_$stem"
}

# A background job of a non-interactive shell starts with SIGINT ignored, and .NET keeps an inherited
# SIG_IGN (its Ctrl-C handler is then never called). Restore the default so SIGINT reaches the runner as Ctrl-C would.
sigint_default() { python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }

# run_tests <config root> <list> <results dir> <workers> <run id>  (foreground; returns dotnet test's exit code)
run_tests() {
  local root=$1 list=$2 results=$3 workers=$4 run_id=$5 profile=${6:-$repo/clusters/local.yaml}
  mkdir -p "$results"
  DISAGG_RUN_ID="$run_id" DISAGG_CONFIG_ROOT="$root" DISAGG_TEST_LIST="$list" DISAGG_RESULTS_DIR="$results" \
  DISAGG_CLUSTER_PROFILE="$profile" DISAGG_REPO_ROOT="$repo" \
    sigint_default dotnet test "$repo/Disagg.Tests" --no-build --nologo --results-directory "$results" \
      --logger "trx;LogFileName=bench.trx" -- NUnit.NumberOfTestWorkers="$workers" > "$results/dotnet-test.log" 2>&1
}

# jobs of a run still known to squeue (any state but terminal)
run_jobs_left() { squeue -h -a -o "%i %T %k" | awk -v c="disagg-run=$1" '$3 == c && $2 !~ /COMPLETED|CANCELLED|FAILED|TIMEOUT/ {print $1}'; }
sweep_run() { # cancel leftovers of a run
  local ids; ids=$(run_jobs_left "$1" | tr '\n' ' ')
  if [ -n "${ids// }" ]; then log "leftover jobs of $1: $ids -> scancel"; scancel $ids; fi
}

# start_tests <same args as run_tests>: in the background, in its own process group (pid == pgid), prints the pid
start_tests() {
  setsid bash -c '. "$0"; run_tests "$@"' "$repo/bench/lib.sh" "$@" < /dev/null > /dev/null 2>&1 &
  echo $!
}
# the testhost process under a process group
testhost_pid() { ps -eo pid=,pgid=,args= | awk -v g="$1" '$2 == g && /testhost/ {print $1; exit}'; }
# cpu ticks (self, reaped children) of a pid
cpu_ticks() { awk '{print $14+$15, $16+$17}' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
# sdiag RPC counts by message type: prints "TYPE count" lines
sdiag_counts() { sdiag | awk '/Remote Procedure Call statistics by message type/ {on=1; next} /Remote Procedure Call statistics by user/ {on=0} on && /count:/ {gsub(/[()]/,""); for (i=1;i<=NF;i++) if ($i ~ /^count:/) {split($i,a,":"); print $1, a[2]}}'; }
# temp cluster profile: the local profile with a long server-start timeout, so jobs wait for readiness
long_wait_profile() {
  sed -e 's/DISAGG_SERVER_START_TIMEOUT_S: "120"/DISAGG_SERVER_START_TIMEOUT_S: "900"/' "$repo/clusters/local.yaml" > "$1"
}
