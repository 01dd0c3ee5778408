#!/bin/bash
# disagg server of test disagg_perf_gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX, rendered by Disagg.
# usage: (no arguments; reads server_config.yaml written by the job)
set -euo pipefail
export TRTLLM_SERVER_DISABLE_GC=1
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
exec trtllm-serve disaggregated -c /lustre/results/run1/test/server_config.yaml -t 7200 -r 7200
