#!/usr/bin/env bash
# Worst cases within the input limits (docs/limits.md): every config this script builds passes `disagg validate`,
# and `disagg render` of it must take <= 2 s and <= 300 MB (wall time and peak RSS of the whole process, .NET start
# included). Then the exhaustion configs of issue 15, which `validate` must refuse with a clear error in < 2 s.
#   usage: bench/render-limits.sh            (after `dotnet build Disagg.Cli`; no cluster needed)
# Prints one line per case and "RESULT <key> <value>" lines; exits 1 if a goal is missed or a case behaves wrongly.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cli=(dotnet "$repo/Disagg.Cli/bin/Debug/net10.0/disagg.dll")
[ -f "${cli[1]}" ] || { echo "render-limits: build first: dotnet build $repo/Disagg.Cli" >&2; exit 2; }
tmp=$(mktemp -d /tmp/disagg-limits.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
failed=0

python3 - "$repo/Disagg.Harness.Tests/Fixtures/configs/smoke.yaml" "$tmp" <<'PY'
import sys, re
smoke, out = open(sys.argv[1]).read(), sys.argv[2]

def edit(text, *pairs):
    for a, b in pairs:
        assert a in text, a
        text = text.replace(a, b)
    return text

def env_map(prefix, budget=16384):
    # names and values up to the section limit (each pair counts len(name) + len(value) + 1)
    lines, used, i = [], 0, 0
    while True:
        name, value = f"{prefix}_{i:04d}", "v" * 200
        if used + len(name) + len(value) + 1 > budget: break
        lines.append(f'    {name}: "{value}"'); used += len(name) + len(value) + 1; i += 1
    return "\n".join(lines)

def worker_bomb(role):
    # an alias tree close to the expansion limits: ~1 MB of values, under 50,000 nodes, in each worker config
    return (f"    blob_{role}: &b_{role} \"{'x' * 4000}\"\n"
            f"    l1_{role}: &l1_{role} [*b_{role}, *b_{role}, *b_{role}, *b_{role}, *b_{role}, *b_{role}, *b_{role}, *b_{role}, *b_{role}, *b_{role}]\n"
            f"    l2_{role}: [{', '.join([f'*l1_{role}'] * 9)}]\n")

big = "/" + "p" * 4095
servers = edit(smoke,
    ("  gpus_per_node: 4\n  num_ctx_servers: 1\n  num_gen_servers: 1", "  gpus_per_node: 128\n  num_ctx_servers: 256\n  num_gen_servers: 256"),
    ("  ctx:\n    tensor_parallel_size: 1\n    pipeline_parallel_size: 1", "  ctx:\n    tensor_parallel_size: 512\n    pipeline_parallel_size: 1"),
    ("  gen:\n    tensor_parallel_size: 1\n    pipeline_parallel_size: 1", "  gen:\n    tensor_parallel_size: 512\n    pipeline_parallel_size: 1"),
    ("  concurrency_list: \"1 4\"", "  concurrency_list: \"" + " ".join(str(4096 - i) for i in range(64)) + "\""),
    ("    max_batch_size: 16\n    max_num_tokens: 256", "    max_batch_size: 4096\n    max_num_tokens: 16777216"),
    ("  multi_round: 4", "  multi_round: 1000"),
    ("- \"output_token_throughput >= 5 at c=4\"", "- \"output_token_throughput >= 5 at c=4096\""),
)
open(f"{out}/max-servers.yaml", "w").write(servers)

everything = edit(servers,
    ("  container_image: \"\"", f"  container_image: \"{big}\""),
    ("  container_mount: \"\"", f"  container_mount: \"{big}\""),
    ("  model_path: sim-tiny", f"  model_path: \"{big}\""),
    ("  trtllm_repo: \"\"", f"  trtllm_repo: \"\"\n  trtllm_wheel_path: \"{big}\"\n  cuda_architectures: \"{big}\""),
    ("  worker_env_var: \"TLLM_LOG_LEVEL=INFO TRTLLM_SERVER_DISABLE_GC=1 TRTLLM_WORKER_DISABLE_GC=1\"",
     "  worker_env_var:\n" + env_map("W") + "\n  ctx_worker_env_var:\n" + env_map("C") + "\n  gen_worker_env_var:\n" + env_map("G")),
    ("  server_env_var: \"TRTLLM_SERVER_DISABLE_GC=1\"", "  server_env_var:\n" + env_map("S")),
    ("  dataset_file: \"\"", f"  dataset_file: \"{big}\"\n  env_var:\n" + env_map("B").replace("    ", "    ")),
    ("  nsys_on: false", "  nsys_on: true"),
    ("  numa_bind: false", "  numa_bind: true"),
    ("accuracy:\n  enable_accuracy_test: false",
     "accuracy:\n  enable_accuracy_test: true\n  model_args_extra: \"" + "a" * 4000 + "\"\n  tasks: \""
     + " ".join(f"t{i}" for i in range(32)) + "\""),
    ("    stream_interval: 1", "    stream_interval: 1\n" + worker_bomb("gen")),
    ("    cache_transceiver_config:\n      max_tokens_in_buffer: 4096\n      backend: UCX\n  gen:",
     "    cache_transceiver_config:\n      max_tokens_in_buffer: 4096\n      backend: UCX\n" + worker_bomb("ctx") + "  gen:"),
)
open(f"{out}/max-everything.yaml", "w").write(everything)

# Refused: the exhaustion configs of issue 15.
bomb = "    bomb:\n      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"      l{i}: &l{i} [{', '.join([f'*l{i-1}'] * 9)}]\n" for i in range(1, 11))
refuse = {
    "alias-bomb": edit(smoke, ("    stream_interval: 1\n", "    stream_interval: 1\n" + bomb)),
    "ctx-servers-2e31": edit(smoke, ("  num_ctx_servers: 1", "  num_ctx_servers: 2147483648")),
    "ctx-servers-int-max": edit(smoke, ("  num_ctx_servers: 1", "  num_ctx_servers: 2147483647")),
    "gen-servers-100000": edit(smoke, ("  num_gen_servers: 1", "  num_gen_servers: 100000")),
    "gpus-per-node-int-max": edit(smoke, ("  gpus_per_node: 4", "  gpus_per_node: 2147483647")),
    "tp-pp-65536": edit(smoke, ("  gen:\n    tensor_parallel_size: 1\n    pipeline_parallel_size: 1",
                                "  gen:\n    tensor_parallel_size: 65536\n    pipeline_parallel_size: 65536")),
    "job-time-99999999-days": edit(smoke, ("  job_time: \"00:10:00\"", "  job_time: \"99999999-00:00:00\"")),
    "nesting-100000": edit(smoke, ("    stream_interval: 1\n", "    stream_interval: 1\n    deep: " + "[" * 100000 + "]" * 100000 + "\n")),
}
for name, text in refuse.items():
    open(f"{out}/refuse-{name}.yaml", "w").write(text)
PY

measure() { /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > "$tmp/out" 2>&1; echo "$? $(cat "$tmp/time" | tail -1)"; }

echo "== renders within the limits (goal: <= 2 s and <= 300 MB per render, whole process)"
printf '%-16s %-9s %8s %9s %7s %9s\n' case validate render_s render_MB files output_MB
for name in max-servers max-everything; do
  f=$tmp/$name.yaml
  read -r vcode _ _ <<< "$(measure "${cli[@]}" validate "$f")"
  if [ "$vcode" != 0 ]; then echo "render-limits: $name does not validate:"; head -5 "$tmp/out"; failed=1; continue; fi
  read -r rcode secs kb <<< "$(measure "${cli[@]}" render "$f" --profile real --out "$tmp/job-$name")"
  if [ "$rcode" != 0 ]; then echo "render-limits: $name does not render:"; head -5 "$tmp/out"; failed=1; continue; fi
  mb=$((kb / 1024)); files=$(find "$tmp/job-$name" -type f | wc -l); outmb=$(du -sm "$tmp/job-$name" | cut -f1)
  printf '%-16s %-9s %8s %9s %7s %9s\n' "$name" ok "$secs" "$mb" "$files" "$outmb"
  echo "RESULT render_${name}_s $secs"; echo "RESULT render_${name}_peak_rss_mb $mb"
  awk -v s="$secs" -v m="$mb" 'BEGIN { exit !(s <= 2 && m <= 300) }' || { echo "render-limits: $name misses the goal"; failed=1; }
done

echo "== exhaustion configs (goal: validate refuses each with a located error in < 2 s)"
for f in "$tmp"/refuse-*.yaml; do
  name=$(basename "$f" .yaml); name=${name#refuse-}
  read -r code secs kb <<< "$(measure "${cli[@]}" validate "$f")"
  message=$(grep -m1 -E '^/' "$tmp/out" | sed "s|$tmp/||" | cut -c1-150)
  printf '%-24s exit %s in %5s s, %4s MB: %s\n' "$name" "$code" "$secs" "$((kb / 1024))" "$message"
  echo "RESULT refuse_${name}_s $secs"
  [ "$code" = 1 ] && awk -v s="$secs" 'BEGIN { exit !(s < 2) }' && ! grep -q "   at " "$tmp/out" ||
    { echo "render-limits: $name was not refused cleanly"; failed=1; }
done
exit "$failed"
