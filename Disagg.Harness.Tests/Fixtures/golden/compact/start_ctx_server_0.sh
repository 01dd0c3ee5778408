#!/bin/bash
# CTX server 0 of test disagg_perf_compact, rendered by Disagg.
# usage: <host> <port>
set -euo pipefail
gpu_map_file=/lustre/results/run1/compact/gpu_map_CTX_0.txt
gpu_id=$(awk -v p="${SLURM_PROCID:-0}" '$1==p {print $3; exit}' "$gpu_map_file")
if [ -z "$gpu_id" ]; then
  echo "ERROR: no GPU mapping for SLURM_PROCID=${SLURM_PROCID:-0} in $gpu_map_file" >&2
  exit 1
fi
export CUDA_VISIBLE_DEVICES=$gpu_id
export TLLM_LOG_LEVEL=INFO
export TRTLLM_SERVER_DISABLE_GC=1
export TRTLLM_WORKER_DISABLE_GC=1
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
if [ -n "${TRTLLM_WORKER_UCX_TLS:-}" ]; then export UCX_TLS="$TRTLLM_WORKER_UCX_TLS"; else unset UCX_TLS; fi
if [ -n "${TRTLLM_WORKER_UCX_NET_DEVICES:-}" ]; then export UCX_NET_DEVICES="$TRTLLM_WORKER_UCX_NET_DEVICES"; fi
echo "SLURM_PROCID: ${SLURM_PROCID:-0}, hostname: $(hostname), node: ${SLURMD_NODENAME:-unknown}, instance_id: 0"
echo "CUDA_VISIBLE_DEVICES: $CUDA_VISIBLE_DEVICES"
echo config_file: /lustre/results/run1/compact/ctx_config.yaml
# Rank 0 serves; other ranks hold their GPUs like trtllm-llmapi-launch workers do.
if [ "${SLURM_PROCID:-0}" != 0 ]; then exec sleep infinity; fi
exec dotnet /repo/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll worker --role ctx --host "$1" --port "$2" --config /lustre/results/run1/compact/ctx_config.yaml
