#!/bin/bash
# benchmark client of test disagg_perf_gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX, rendered by Disagg.
# usage: <disagg host> <disagg port>
set -euo pipefail
HOST="$1"; PORT="$2"
WORKSPACE=/lustre/results/run1/test
CLIENT=(python -m tensorrt_llm.serve.scripts.benchmark_serving)
MODEL=/lustre/models/DeepSeek-R1-FP4
phase() { echo "$(date +%s.%N) $*" >> "$WORKSPACE/job_phases.log"; }
trap 'rc=$?; echo "Error occurred at line $LINENO (exit code $rc)"; exit $rc' ERR
echo "warming up ucx connections with small requests... 64"
"${CLIENT[@]}" --model "$MODEL" --dataset-name random --random-ids --random-input-len 100 --random-output-len 10 --num-prompts 64 --host "$HOST" --port "$PORT" --ignore-eos --non-streaming --trust-remote-code
echo "UCX warmup done"
echo "Hostname: $HOST, Port: $PORT"
echo "Starting benchmark..."
for value in 1024; do
  concurrency=$((value * 1))
  num_prompts=$((concurrency * 8))
  echo "Benchmarking with concurrency ${concurrency} ... ${num_prompts} prompts"
  phase "concurrency ${concurrency} started"
  result_dir="$WORKSPACE/concurrency_${concurrency}"
  mkdir -p "$result_dir"
  "${CLIENT[@]}" --model "$MODEL" --backend openai --host "$HOST" --port "$PORT" --dataset-name random --random-input-len 1024 --random-output-len 1024 --random-range-ratio 0.8 --use-chat-template --num-prompts "$num_prompts" --max-concurrency "$concurrency" --trust-remote-code --ignore-eos --no-test-input --save-result --result-dir "$result_dir" --result-filename result.json --percentile-metrics "ttft,tpot,itl,e2el"
  echo "Benchmark with concurrency ${concurrency} done"
  phase "concurrency ${concurrency} done"
done
