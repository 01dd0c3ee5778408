#!/bin/bash
# benchmark client of test disagg_perf-sanity_gb200_gpt-oss-120b-fp4_1k1k_con512_ctx1_tp1_gen1_dep2_eplb0_mtp0_ccb-UCX, rendered by Disagg.
# usage: <disagg host> <disagg port>
set -euo pipefail
HOST="$1"; PORT="$2"
WORKSPACE=/lustre/results/run1/test
CLIENT=(python -m tensorrt_llm.serve.scripts.benchmark_serving)
MODEL=/lustre/models/GPT-OSS-120B-FP4
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
phase() { echo "$(date +%s.%N) $*" >> "$WORKSPACE/job_phases.log"; }
# mark_logs / slice_logs <result dir>: the iteration lines each server log gained during one concurrency.
mark_logs() { local f; for f in "$@"; do wc -l < "$WORKSPACE/$f" 2>/dev/null || echo 0; done; }
slice_log() { tail -n +"$(( $2 + 1 ))" "$WORKSPACE/$1" 2>/dev/null | grep -a -- "$3" > "$4" || true; }
trap 'rc=$?; echo "Error occurred at line $LINENO (exit code $rc)"; exit $rc' ERR
echo "warming up ucx connections with small requests... 4"
"${CLIENT[@]}" --model "$MODEL" --dataset-name random --random-ids --random-input-len 100 --random-output-len 10 --num-prompts 4 --host "$HOST" --port "$PORT" --ignore-eos --non-streaming --trust-remote-code
echo "UCX warmup done"
echo "Hostname: $HOST, Port: $PORT"
echo "Starting benchmark..."
for value in 512; do
  concurrency=$((value * 1))
  num_prompts=$((concurrency * 10))
  echo "Benchmarking with concurrency ${concurrency} ... ${num_prompts} prompts"
  phase "concurrency ${concurrency} started"
  result_dir="$WORKSPACE/concurrency_${concurrency}"
  mkdir -p "$result_dir"
  mapfile -t log_lines < <(mark_logs ctx_server_0.log gen_server_0.log)
  "${CLIENT[@]}" --model "$MODEL" --backend openai --host "$HOST" --port "$PORT" --dataset-name trtllm_custom --dataset-path /lustre/datasets/datasets/perf-ci/gpt_oss_120b-1k1k-20480-ratio-1_for_serve.json --num-prompts "$num_prompts" --max-concurrency "$concurrency" --trust-remote-code --ignore-eos --no-test-input --save-result --result-dir "$result_dir" --result-filename result.json --percentile-metrics "ttft,tpot,itl,e2el"
  echo "Benchmark with concurrency ${concurrency} done"
  slice_log ctx_server_0.log "${log_lines[0]}" "'num_generation_tokens': 0" "$result_dir/ctx_only_0.txt"
  slice_log gen_server_0.log "${log_lines[1]}" "'num_ctx_requests': 0, 'num_ctx_tokens': 0" "$result_dir/gen_only_0.txt"
  phase "concurrency ${concurrency} done"
done
