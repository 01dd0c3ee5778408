namespace Disagg.Harness.Common;

/// <summary>
/// Whose fault a failed test is: the cluster's (<see cref="Infrastructure"/>: node failure, preemption, step creation,
/// NCCL/UCX transport errors, GPU Xid/ECC, filesystem errors), TensorRT-LLM's or the test's (<see cref="Product"/>: server
/// exception, OOM in the model, accuracy miss, regression, bound miss, client crash) or the setup's
/// (<see cref="Configuration"/>: invalid config, rejected sbatch). Only infrastructure failures are retried elsewhere.
/// </summary>
public enum FailureClass { Product, Infrastructure, Configuration }
