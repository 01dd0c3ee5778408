#!/usr/bin/env bash
# The simulator's aiperf stand-in against the default client on the same simulator servers and the same load
# (ISL 128, OSL 32, concurrency 8, 64 requests, streaming chat, ignore_eos), alternating, ROUNDS times. The two clients
# measure the same thing, so their TTFT, TPOT/ITL and output throughput should agree within run-to-run noise.
#   usage: bench/aiperf-vs-default.sh [ROUNDS]   (after `dotnet build Disagg.Sim`; no SLURM needed)
# Prints one line per client and round, and "RESULT <key> <value>" medians.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
sim="$repo/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll"
[ -f "$sim" ] || { echo "aiperf-vs-default: build first: dotnet build $repo/Disagg.Sim" >&2; exit 2; }
rounds=${1:-3}
tmp=$(mktemp -d /tmp/disagg-aiperf-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
server=$(free_port); ctx=$(free_port); gen=$(free_port)
printf 'max_batch_size: 16\nmax_num_tokens: 8192\nmax_seq_len: 4096\ntensor_parallel_size: 1\n' > "$tmp/ctx.yaml"
printf 'max_batch_size: 64\nmax_num_tokens: 512\nmax_seq_len: 4096\ntensor_parallel_size: 1\n' > "$tmp/gen.yaml"
printf 'backend: pytorch\ncontext_servers:\n  num_instances: 1\n  urls:\n  - 127.0.0.1:%s\ngeneration_servers:\n  num_instances: 1\n  urls:\n  - 127.0.0.1:%s\nhostname: 127.0.0.1\nport: %s\n' \
  "$ctx" "$gen" "$server" > "$tmp/server.yaml"
export SIM_LOAD_MS=200 SIM_ACCESS_LOG=0
dotnet "$sim" worker --role ctx --host 127.0.0.1 --port "$ctx" --config "$tmp/ctx.yaml" --model m > "$tmp/ctx.log" 2>&1 & pids+=($!)
dotnet "$sim" worker --role gen --host 127.0.0.1 --port "$gen" --config "$tmp/gen.yaml" --model m > "$tmp/gen.log" 2>&1 & pids+=($!)
dotnet "$sim" disagg-server -c "$tmp/server.yaml" -t 60 -r 60 > "$tmp/server.log" 2>&1 & pids+=($!)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$server/health" >/dev/null && break; sleep 0.5; done
dotnet "$sim" gen-dataset --format mooncake_trace --output "$tmp/trace.jsonl" --num 64 --input-len 128 --output-len 32 >/dev/null
dotnet "$sim" gen-dataset --output "$tmp/custom.jsonl" --num 64 --input-len 128 --output-len 32 >/dev/null
: > "$tmp/rows"
for round in $(seq "$rounds"); do
  dotnet "$sim" benchmark --model m --backend openai-chat --host 127.0.0.1 --port "$server" --dataset-name trtllm_custom \
    --dataset-path "$tmp/custom.jsonl" --num-prompts 64 --max-concurrency 8 --ignore-eos --no-test-input --disable-tqdm \
    --percentile-metrics ttft,tpot,itl,e2el > "$tmp/default.txt" 2>&1
  dotnet "$sim" aiperf profile -m m --url "http://127.0.0.1:$server" --endpoint-type chat --streaming --ui none --input-file "$tmp/trace.jsonl" \
    --custom-dataset-type mooncake_trace --artifact-dir "$tmp/aiperf_$round" --concurrency 8 --request-count 64 --extra-inputs ignore_eos:true \
    > "$tmp/aiperf.txt" 2>&1
  python3 - "$tmp/default.txt" "$tmp/aiperf_$round/profile_export_aiperf.json" "$round" >> "$tmp/rows" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def label(name): return float(re.search(re.escape(name) + r":\s+([0-9.]+)", text).group(1))
d = json.load(open(sys.argv[2]))
print(f"default {sys.argv[3]} {label('Mean TTFT (ms)')} {label('Mean TPOT (ms)')} {label('Output token throughput (tok/s)')}")
print(f"aiperf {sys.argv[3]} {d['time_to_first_token']['avg']:.2f} {d['inter_token_latency']['avg']:.2f} {d['output_token_throughput']['avg']:.2f}")
PY
done
echo "client round mean_ttft_ms mean_tpot_or_itl_ms output_tok_per_s"
cat "$tmp/rows"
python3 - "$tmp/rows" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for client in ("default", "aiperf"):
    r = [x for x in rows if x[0] == client]
    for i, key in ((2, "ttft_ms"), (3, "tpot_ms"), (4, "output_tok_s")):
        print(f"RESULT {client}_{key} {statistics.median(float(x[i]) for x in r):.2f}")
PY
