#!/bin/bash
# aiperf benchmark client of test disagg_perf_aiperf, rendered by Disagg.
# usage: <disagg host> <disagg port>
set -euo pipefail
HOST="$1"; PORT="$2"
WORKSPACE=/results/run/disagg_perf_aiperf
CLIENT=(dotnet /repo/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll benchmark)
AIPERF=(dotnet /repo/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll aiperf)
MODEL=sim-tiny
DATASET=/datasets/sim-tiny-128-32.mooncake.jsonl
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
phase() { echo "$(date +%s.%N) $*" >> "$WORKSPACE/job_phases.log"; }
# mark_logs / slice_logs <result dir>: the iteration lines each server log gained during one concurrency.
mark_logs() { local f; for f in "$@"; do wc -l < "$WORKSPACE/$f" 2>/dev/null || echo 0; done; }
slice_log() { tail -n +"$(( $2 + 1 ))" "$WORKSPACE/$1" 2>/dev/null | grep -a -- "$3" > "$4" || true; }
trap 'rc=$?; echo "Error occurred at line $LINENO (exit code $rc)"; exit $rc' ERR
echo "aiperf: ${AIPERF[*]} (staged by the cluster profile; the job installs nothing)"
echo "warming up ucx connections with small requests... 2"
"${CLIENT[@]}" --model "$MODEL" --dataset-name random --random-ids --random-input-len 100 --random-output-len 10 --num-prompts 2 --host "$HOST" --port "$PORT" --ignore-eos --trust-remote-code --non-streaming
echo "UCX warmup done"
# Trust remote code globally for custom tokenizers in parallel workers
export HF_HUB_TRUST_REMOTE_CODE=1
echo "Hostname: $HOST, Port: $PORT"
echo "Starting aiperf benchmark..."
if [ -n "${AIPERF_RUNTIME_TMPDIR:-}" ]; then
  mkdir -p "$AIPERF_RUNTIME_TMPDIR"; export TMPDIR="$AIPERF_RUNTIME_TMPDIR"; echo "AIPerf runtime TMPDIR: $TMPDIR"
fi
for concurrency in 1 4; do
  request_count=$((concurrency * 2))
  benchmark_duration=2400
  echo "Benchmarking with concurrency ${concurrency} ... ${request_count} requests, duration ${benchmark_duration}s"
  phase "concurrency ${concurrency} started"
  result_dir="$WORKSPACE/concurrency_${concurrency}"
  mkdir -p "$result_dir"
  mapfile -t log_lines < <(mark_logs ctx_server_0.log gen_server_0.log)
  dataset_args=()
  stop_args=(--benchmark-duration "$benchmark_duration" --benchmark-grace-period "${AIPERF_BENCHMARK_GRACE_PERIOD:-60}")
  if [ -n "${AIPERF_PUBLIC_DATASET:-}" ]; then
    dataset_args+=(--public-dataset "$AIPERF_PUBLIC_DATASET")
    if [ "$AIPERF_PUBLIC_DATASET" = weka_hf ]; then
      if [ -z "${AIPERF_HF_WEKA_REPO:-}" ]; then echo "AIPERF_HF_WEKA_REPO is required for weka_hf" >&2; exit 1; fi
      dataset_args+=(--hf-weka-repo "$AIPERF_HF_WEKA_REPO")
    fi
    if [ -n "${AIPERF_NUM_DATASET_ENTRIES:-}" ]; then dataset_args+=(--num-dataset-entries "$AIPERF_NUM_DATASET_ENTRIES"); fi
    if [ -n "${AIPERF_EXCLUDE_TRACE_IDS:-}" ]; then dataset_args+=(--exclude-trace-id "$AIPERF_EXCLUDE_TRACE_IDS"); fi
    if [ -n "${AIPERF_MAX_CONTEXT_LENGTH:-}" ]; then dataset_args+=(--max-context-length "$AIPERF_MAX_CONTEXT_LENGTH"); fi
    if [ "${AIPERF_NO_FIXED_SCHEDULE:-0}" = 1 ]; then dataset_args+=(--no-fixed-schedule); fi
    if [ "${AIPERF_IGNORE_TRACE_DELAYS:-0}" = 1 ]; then dataset_args+=(--ignore-trace-delays); fi
  else
    dataset_args+=(--input-file "$DATASET" --custom-dataset-type mooncake_trace)
    stop_args+=(--request-count "$request_count")
  fi
  "${AIPERF[@]}" profile -m "$MODEL" --tokenizer "$MODEL" --tokenizer-trust-remote-code --url "http://${HOST}:${PORT}" \
    --endpoint-type chat --streaming --ui simple "${dataset_args[@]}" --artifact-dir "$result_dir" \
    --concurrency "$concurrency" --concurrency-ramp-duration 60 "${stop_args[@]}" --workers-max 200 \
    --request-timeout-seconds 1200 --profile-export-level records --extra-inputs ignore_eos:true --record-processors 8
  if ! find "$result_dir" -type f -name profile_export_aiperf.json -size +0c -print -quit | grep -q .; then
    echo "AIPerf did not produce profile_export_aiperf.json" >&2
    exit 1
  fi
  echo "Benchmark with concurrency ${concurrency} done"
  slice_log ctx_server_0.log "${log_lines[0]}" "'num_generation_tokens': 0" "$result_dir/ctx_only_0.txt"
  slice_log gen_server_0.log "${log_lines[1]}" "'num_ctx_requests': 0, 'num_ctx_tokens': 0" "$result_dir/gen_only_0.txt"
  phase "concurrency ${concurrency} done"
done
echo "Fetching perf metrics from http://${HOST}:${PORT}/perf_metrics ..."
curl -s "http://${HOST}:${PORT}/perf_metrics" > "$WORKSPACE/perf_metrics.json" 2>&1 || true
if [ -s "$WORKSPACE/perf_metrics.json" ]; then echo "Perf metrics saved to $WORKSPACE/perf_metrics.json"
else echo "Warning: perf_metrics response was empty or endpoint not available"; fi
