#!/bin/bash
# DWDP workers of test disagg_perf_dwdp (ranks below 2 are CTX, the rest GEN), rendered by Disagg.
# usage: (no arguments; every rank of the MPI step runs it)
set -euo pipefail
if [ "${SLURM_PROCID:-0}" -lt 2 ]; then
  role=CTX
  export TLLM_LOG_LEVEL=INFO
  export TRTLLM_SERVER_DISABLE_GC=1
  export TRTLLM_WORKER_DISABLE_GC=1
  export TRTLLM_ENABLE_PDL=1
  export ENROOT_ALLOW_DEV=yes
else
  role=GEN
  export TLLM_LOG_LEVEL=INFO
  export TRTLLM_SERVER_DISABLE_GC=1
  export TRTLLM_WORKER_DISABLE_GC=1
  export TRTLLM_ENABLE_PDL=1
  export ENROOT_ALLOW_DEV=yes
fi
gpu_map_file=/lustre/results/run1/dwdp/gpu_map_mpi_worker.txt
gpu_id=$(awk -v p="${SLURM_PROCID:-0}" '$1==p {print $3; exit}' "$gpu_map_file")
if [ -z "$gpu_id" ]; then
  echo "ERROR: no GPU mapping for SLURM_PROCID=${SLURM_PROCID:-0} in $gpu_map_file" >&2
  exit 1
fi
export CUDA_VISIBLE_DEVICES=$gpu_id
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
if [ -n "${TRTLLM_WORKER_UCX_TLS:-}" ]; then export UCX_TLS="$TRTLLM_WORKER_UCX_TLS"; else unset UCX_TLS; fi
if [ -n "${TRTLLM_WORKER_UCX_NET_DEVICES:-}" ]; then export UCX_NET_DEVICES="$TRTLLM_WORKER_UCX_NET_DEVICES"; else unset UCX_NET_DEVICES; fi
echo "SLURM_PROCID: ${SLURM_PROCID:-0}, hostname: $(hostname), node: ${SLURMD_NODENAME:-unknown}, role: $role"
exec numactl -m 0,1 trtllm-serve disaggregated_mpi_worker -c /lustre/results/run1/dwdp/mpi_worker_config.yaml
