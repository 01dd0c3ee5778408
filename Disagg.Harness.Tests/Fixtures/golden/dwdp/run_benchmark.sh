#!/bin/bash
# benchmark client of test disagg_perf_dwdp, rendered by Disagg.
# usage: <disagg host> <disagg port>
set -euo pipefail
HOST="$1"; PORT="$2"
WORKSPACE=/lustre/results/run1/dwdp
CLIENT=(python -m tensorrt_llm.serve.scripts.benchmark_serving)
MODEL=/lustre/models/DeepSeek-R1-0528-FP4-v2
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
phase() { echo "$(date +%s.%N) $*" >> "$WORKSPACE/job_phases.log"; }
trap 'rc=$?; echo "Error occurred at line $LINENO (exit code $rc)"; exit $rc' ERR
echo "warming up ucx connections with small requests... 16"
"${CLIENT[@]}" --model "$MODEL" --dataset-name random --random-ids --random-input-len 100 --random-output-len 10 --num-prompts 16 --host "$HOST" --port "$PORT" --ignore-eos --non-streaming --trust-remote-code
echo "UCX warmup done"
echo "Hostname: $HOST, Port: $PORT"
echo "Starting benchmark..."
for value in 256; do
  concurrency=$((value * 1))
  num_prompts=$((concurrency * 8))
  echo "Benchmarking with concurrency ${concurrency} ... ${num_prompts} prompts"
  phase "concurrency ${concurrency} started"
  result_dir="$WORKSPACE/concurrency_${concurrency}"
  mkdir -p "$result_dir"
  "${CLIENT[@]}" --model "$MODEL" --backend openai --host "$HOST" --port "$PORT" --dataset-name trtllm_custom --dataset-path /lustre/datasets/disagg_datasets/deepseek-r1-1024-1024-100000-ratio-1_for_serve.json --num-prompts "$num_prompts" --max-concurrency "$concurrency" --trust-remote-code --ignore-eos --no-test-input --save-result --result-dir "$result_dir" --result-filename result.json --percentile-metrics "ttft,tpot,itl,e2el"
  echo "Benchmark with concurrency ${concurrency} done"
  phase "concurrency ${concurrency} done"
done
