#!/bin/bash
# disagg server of test disagg_perf_deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL, rendered by Disagg.
# usage: (no arguments; reads server_config.yaml written by the job)
set -euo pipefail
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
exec trtllm-serve disaggregated -c /lustre/results/run1/test/server_config.yaml -t 7200 -r 7200
