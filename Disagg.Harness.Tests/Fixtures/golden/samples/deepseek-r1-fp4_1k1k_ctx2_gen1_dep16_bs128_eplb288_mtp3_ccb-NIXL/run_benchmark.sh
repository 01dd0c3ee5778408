#!/bin/bash
# benchmark client of test disagg_perf_deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL, rendered by Disagg.
# usage: <disagg host> <disagg port>
set -euo pipefail
HOST="$1"; PORT="$2"
WORKSPACE=/lustre/results/run1/test
CLIENT=(python -m tensorrt_llm.serve.scripts.benchmark_serving)
MODEL=/lustre/models/DeepSeek-R1-FP4
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
phase() { echo "$(date +%s.%N) $*" >> "$WORKSPACE/job_phases.log"; }
# mark_logs / slice_logs <result dir>: the iteration lines each server log gained during one concurrency.
mark_logs() { local f; for f in "$@"; do wc -l < "$WORKSPACE/$f" 2>/dev/null || echo 0; done; }
slice_log() { tail -n +"$(( $2 + 1 ))" "$WORKSPACE/$1" 2>/dev/null | grep -a -- "$3" > "$4" || true; }
trap 'rc=$?; echo "Error occurred at line $LINENO (exit code $rc)"; exit $rc' ERR
echo "Hostname: $HOST, Port: $PORT"
echo "Starting benchmark..."
for value in 2048; do
  concurrency=$((value * 1))
  num_prompts=$((concurrency * 8))
  echo "Benchmarking with concurrency ${concurrency} ... ${num_prompts} prompts"
  phase "concurrency ${concurrency} started"
  result_dir="$WORKSPACE/concurrency_${concurrency}"
  mkdir -p "$result_dir"
  mapfile -t log_lines < <(mark_logs ctx_server_0.log ctx_server_1.log gen_server_0.log)
  "${CLIENT[@]}" --model "$MODEL" --backend openai --host "$HOST" --port "$PORT" --dataset-name trtllm_custom --dataset-path /lustre/datasets/ds-1k1k.json --num-prompts "$num_prompts" --max-concurrency "$concurrency" --trust-remote-code --ignore-eos --no-test-input --save-result --result-dir "$result_dir" --result-filename result.json --percentile-metrics "ttft,tpot,itl,e2el"
  echo "Benchmark with concurrency ${concurrency} done"
  slice_log ctx_server_0.log "${log_lines[0]}" "'num_generation_tokens': 0" "$result_dir/ctx_only_0.txt"
  slice_log ctx_server_1.log "${log_lines[1]}" "'num_generation_tokens': 0" "$result_dir/ctx_only_1.txt"
  slice_log gen_server_0.log "${log_lines[2]}" "'num_ctx_requests': 0, 'num_ctx_tokens': 0" "$result_dir/gen_only_0.txt"
  phase "concurrency ${concurrency} done"
done
