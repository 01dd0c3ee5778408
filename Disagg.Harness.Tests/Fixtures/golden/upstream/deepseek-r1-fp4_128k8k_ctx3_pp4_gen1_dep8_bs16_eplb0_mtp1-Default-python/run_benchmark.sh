#!/bin/bash
# benchmark client of test disagg_perf_deepseek-r1-fp4_128k8k_ctx3_pp4_gen1_dep8_bs16_eplb0_mtp1-Default-python, rendered by Disagg.
# usage: <disagg host> <disagg port>
set -euo pipefail
HOST="$1"; PORT="$2"
WORKSPACE=/lustre/results/run1/test
CLIENT=(python -m tensorrt_llm.serve.scripts.benchmark_serving)
SA_CLIENT=(python /opt/bench_serving/benchmark_serving.py)
json_number() { sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p" "$2" | head -n 1; }
MODEL=/lustre/models/DeepSeek-R1-0528-FP4-v2
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
phase() { echo "$(date +%s.%N) $*" >> "$WORKSPACE/job_phases.log"; }
# mark_logs / slice_logs <result dir>: the iteration lines each server log gained during one concurrency.
mark_logs() { local f; for f in "$@"; do wc -l < "$WORKSPACE/$f" 2>/dev/null || echo 0; done; }
slice_log() { tail -n +"$(( $2 + 1 ))" "$WORKSPACE/$1" 2>/dev/null | grep -a -- "$3" > "$4" || true; }
trap 'rc=$?; echo "Error occurred at line $LINENO (exit code $rc)"; exit $rc' ERR
echo "warming up ucx connections with small requests... 64"
"${CLIENT[@]}" --model "$MODEL" --dataset-name random --random-ids --random-input-len 100 --random-output-len 10 --num-prompts 64 --host "$HOST" --port "$PORT" --ignore-eos --non-streaming
echo "UCX warmup done"
echo "Hostname: $HOST, Port: $PORT"
echo "Starting benchmark..."
for value in 128; do
  concurrency=$((value * 1))
  num_prompts=$((concurrency * 1))
  echo "Benchmarking with concurrency ${concurrency} ... ${num_prompts} prompts"
  phase "concurrency ${concurrency} started"
  result_dir="$WORKSPACE/concurrency_${concurrency}"
  mkdir -p "$result_dir"
  mapfile -t log_lines < <(mark_logs ctx_server_0.log ctx_server_1.log ctx_server_2.log gen_server_0.log)
  "${SA_CLIENT[@]}" --model "$MODEL" --host "$HOST" --port "$PORT" --dataset-name random --num-prompts "$num_prompts" --max-concurrency "$concurrency" --trust-remote-code --ignore-eos --random-input-len 131072 --random-output-len 8192 --random-range-ratio 0.8 --save-result --use-chat-template --result-dir "$result_dir" --result-filename result.json --percentile-metrics "ttft,tpot,itl,e2el"
  prompts=$(json_number num_prompts "$result_dir/result.json"); completed=$(json_number completed "$result_dir/result.json")
  if [ -n "$prompts" ] && [ -n "$completed" ]; then echo "Total failed requests: $((prompts - completed))";
  else echo "WARNING: failed to read request counts from $result_dir/result.json" >&2; fi
  echo "Benchmark with concurrency ${concurrency} done"
  slice_log ctx_server_0.log "${log_lines[0]}" "'num_generation_tokens': 0" "$result_dir/ctx_only_0.txt"
  slice_log ctx_server_1.log "${log_lines[1]}" "'num_generation_tokens': 0" "$result_dir/ctx_only_1.txt"
  slice_log ctx_server_2.log "${log_lines[2]}" "'num_generation_tokens': 0" "$result_dir/ctx_only_2.txt"
  slice_log gen_server_0.log "${log_lines[3]}" "'num_ctx_requests': 0, 'num_ctx_tokens': 0" "$result_dir/gen_only_0.txt"
  phase "concurrency ${concurrency} done"
done
