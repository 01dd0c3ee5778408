#!/bin/bash
# GEN server 0 of test disagg_perf_deepseek-r1-fp4_128k8k_ctx3_pp4_gen1_dep8_bs16_eplb0_mtp1-Default-python, rendered by Disagg.
# usage: <host> <port>
set -euo pipefail
export CUDA_VISIBLE_DEVICES=0,1,2,3
export TLLM_LOG_LEVEL=INFO
export TRTLLM_SERVER_DISABLE_GC=1
export TRTLLM_WORKER_DISABLE_GC=1
export TRTLLM_ENABLE_PDL=1
export ENROOT_ALLOW_DEV=yes
export TLLM_ENABLE_CACHE_TRANSFER_PERF_INFO=1
export NIXL_UCX_USE_BATCH_API=1
export TRTLLM_KVCACHE_POOL_USE_FABRIC_MEMORY=1
export MIMALLOC_PURGE_DELAY=0
export TLLM_PROFILE_RECORD_GC=1
export TLLM_NVTX_DEBUG=1
export NSYS_MPI_STORE_TEAMS_PER_RANK=1
export TLLM_PROFILE_START_STOP=200-250
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
if [ -n "${TRTLLM_WORKER_UCX_TLS:-}" ]; then export UCX_TLS="$TRTLLM_WORKER_UCX_TLS"; else unset UCX_TLS; fi
if [ -n "${TRTLLM_WORKER_UCX_NET_DEVICES:-}" ]; then export UCX_NET_DEVICES="$TRTLLM_WORKER_UCX_NET_DEVICES"; fi
echo "SLURM_PROCID: ${SLURM_PROCID:-0}, hostname: $(hostname), node: ${SLURMD_NODENAME:-unknown}, instance_id: 0"
echo "CUDA_VISIBLE_DEVICES: $CUDA_VISIBLE_DEVICES"
echo config_file: /lustre/results/run1/test/gen_config.yaml
exec nsys profile -o /lustre/results/run1/test/nsys_worker_proc_GEN_0_"${SLURM_PROCID:-0}" -f true -t cuda,nvtx,python-gil -c cudaProfilerApi --cuda-graph-trace node --capture-range-end=stop --gpu-metrics-devices=none trtllm-llmapi-launch numactl -m 0,1 trtllm-serve /lustre/models/DeepSeek-R1-0528-FP4-v2 --host "$1" --port "$2" --config /lustre/results/run1/test/gen_config.yaml
