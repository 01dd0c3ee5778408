#!/bin/bash
# disagg server of test disagg_perf_smoke, rendered by Disagg.
# usage: (no arguments; reads server_config.yaml written by the job)
set -euo pipefail
export TRTLLM_SERVER_DISABLE_GC=1
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
exec dotnet /repo/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll disagg-server -c /results/run/disagg_perf_smoke/server_config.yaml -t 300 -r 300
