#!/usr/bin/env bash
# Discovery benchmark (issue 3): time `dotnet test Disagg.Tests --list-tests` over a generated config tree
# and test list of N configs against a baseline of B configs. Half the generated configs are 1k1k, half
# 128-32, so the script also checks that `--filter "TestCategory=1k1k&TestCategory=perf"` selects exactly
# the 1k1k half. Not a timed test: it prints numbers for a human.
#   usage: scripts/bench-discovery.sh [N=1000] [B=5] [RUNS=3]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}; base=${2:-5}; runs=${3:-3}
smoke="$repo/configs/disagg/perf/sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX.yaml"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

dotnet build "$repo/Disagg.Tests" -v q -nologo >/dev/null

generate() { # count dir
  local count=$1 dir=$2 i stem
  mkdir -p "$dir/configs/disagg/perf"; : > "$dir/list.txt"
  for ((i = 0; i < count; i++)); do
    if ((i % 2 == 0)); then
      stem="bench-m$((i % 7))_1k1k_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX_$i"
      sed -e "s/model_name: sim-tiny/model_name: bench-m$((i % 7))/" -e 's/input_length: 128/input_length: 1024/' \
          -e 's/output_length: 32/output_length: 1024/' -e 's/max_seq_len: 512/max_seq_len: 4096/' "$smoke" > "$dir/configs/disagg/perf/$stem.yaml"
    else
      stem="bench-m$((i % 7))_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX_$i"
      sed -e "s/model_name: sim-tiny/model_name: bench-m$((i % 7))/" "$smoke" > "$dir/configs/disagg/perf/$stem.yaml"
    fi
    echo "disagg_perf_$stem" >> "$dir/list.txt"
  done
}

list_tests() { # dir [filter] -> prints "seconds count"
  local dir=$1 filter=${2:-} start end count
  start=$(date +%s.%N)
  DISAGG_CONFIG_ROOT="$dir/configs" DISAGG_TEST_LIST="$dir/list.txt" \
    dotnet test "$repo/Disagg.Tests" --no-build --list-tests ${filter:+--filter "$filter"} > "$dir/out.txt" 2>&1 || true
  end=$(date +%s.%N)
  count=$(grep -c '^    ' "$dir/out.txt" || true)
  echo "$(awk "BEGIN{print $end - $start}") $count"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

generate "$base" "$tmp/base"
generate "$n" "$tmp/big"
list_tests "$tmp/base" >/dev/null   # warm-up

for label in base big; do
  : > "$tmp/$label.times"
  for ((r = 0; r < runs; r++)); do
    read -r secs count < <(list_tests "$tmp/$label")
    echo "$secs" >> "$tmp/$label.times"
    echo "$count" > "$tmp/$label.count"
  done
done
b=$(median < "$tmp/base.times"); g=$(median < "$tmp/big.times")
echo "configs=$base  tests listed=$(cat "$tmp/base.count")  median --list-tests time=${b}s  (runs: $(paste -sd' ' "$tmp/base.times"))"
echo "configs=$n  tests listed=$(cat "$tmp/big.count")  median --list-tests time=${g}s  (runs: $(paste -sd' ' "$tmp/big.times"))"
echo "extra for $((n - base)) configs: $(awk "BEGIN{print $g - $b}")s"
read -r _ filtered < <(list_tests "$tmp/big" "TestCategory=1k1k&TestCategory=perf")
echo "filter TestCategory=1k1k&TestCategory=perf listed $filtered (expected $(((n + 1) / 2)))"
