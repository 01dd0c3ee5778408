#!/bin/bash
# CTX server 0 of test wideep_accuracy_deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL, rendered by Disagg.
# usage: <host> <port>
set -euo pipefail
export CUDA_VISIBLE_DEVICES=0,1,2,3
export MIMALLOC_PURGE_DELAY=0
export TRTLLM_DISABLE_KV_CACHE_TRANSFER_OVERLAP=1
if [ -n "${TRTLLM_PATH_PREPEND:-}" ]; then export PATH="$TRTLLM_PATH_PREPEND:$PATH"; fi
if [ -n "${TRTLLM_PYTHONPATH_PREPEND:-}" ]; then export PYTHONPATH="$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}"; fi
if [ -n "${TRTLLM_WORKER_UCX_TLS:-}" ]; then export UCX_TLS="$TRTLLM_WORKER_UCX_TLS"; else unset UCX_TLS; fi
if [ -n "${TRTLLM_WORKER_UCX_NET_DEVICES:-}" ]; then export UCX_NET_DEVICES="$TRTLLM_WORKER_UCX_NET_DEVICES"; fi
echo "SLURM_PROCID: ${SLURM_PROCID:-0}, hostname: $(hostname), node: ${SLURMD_NODENAME:-unknown}, instance_id: 0"
echo "CUDA_VISIBLE_DEVICES: $CUDA_VISIBLE_DEVICES"
echo config_file: /lustre/results/run1/test/ctx_config.yaml
exec trtllm-llmapi-launch numactl -m 0,1 trtllm-serve /lustre/models/DeepSeek-R1-0528-FP4-v2 --host "$1" --port "$2" --config /lustre/results/run1/test/ctx_config.yaml
