#!/bin/bash
# disagg server of test disagg_perf_smoke, rendered by Disagg.
# usage: (no arguments; reads server_config.yaml written by the job)
set -euo pipefail
export TRTLLM_SERVER_DISABLE_GC=1
exec dotnet /repo/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll disagg-server -c /results/run/disagg_perf_smoke/server_config.yaml -t 300 -r 300
