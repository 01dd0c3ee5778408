namespace Disagg.Sim.Common;

/// <summary>The concrete tracebacks the simulated processes print (frames shaped like TensorRT-LLM's own).</summary>
internal static class PythonErrors
{
    private const string Pkg = "/usr/local/lib/python3.12/dist-packages/tensorrt_llm";

    private static readonly string[] ServeFrames =
    [
        "  File \"/usr/local/bin/trtllm-serve\", line 8, in <module>",
        "    sys.exit(main())",
        $"  File \"{Pkg}/commands/serve.py\", line 412, in serve",
        "    launch_server(host, port, llm_args)",
    ];

    public static PythonError StartupFailure() => new(
        "RuntimeError",
        "Executor worker returned error",
        [.. ServeFrames,
            $"  File \"{Pkg}/executor/proxy.py\", line 318, in _start_executor_workers",
            "    raise RuntimeError(\"Executor worker returned error\")"]);

    public static PythonError OutOfMemory() => new(
        "torch.OutOfMemoryError",
        "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.11 GiB of which 1.19 GiB is free. "
        + "Of the allocated memory 75.32 GiB is allocated by PyTorch, and 1.02 GiB is reserved by PyTorch but unallocated.",
        [.. ServeFrames,
            $"  File \"{Pkg}/_torch/pyexecutor/resource_manager.py\", line 233, in __init__",
            "    self.impl = KVCacheManagerCpp(**kwargs)"]);

    public static PythonError BindFailure(string host, int port, int errno, string reason) => new(
        "RuntimeError",
        $"Failed to bind socket to {host}:{port}: [Errno {errno}] {reason}",
        [.. ServeFrames,
            $"  File \"{Pkg}/commands/serve.py\", line 175, in launch_server",
            "    raise RuntimeError(f\"Failed to bind socket to {host}:{port}: {e}\")"]);

    public static PythonError IllegalMemoryAccess() => new(
        "RuntimeError",
        "CUDA error: an illegal memory access was encountered",
        [$"  File \"{Pkg}/_torch/pyexecutor/py_executor.py\", line 1287, in _executor_loop",
            "    batch_outputs = self._forward_step(scheduled_batch)",
            $"  File \"{Pkg}/_torch/pyexecutor/py_executor.py\", line 1841, in _forward_step",
            "    outputs = forward(scheduled_requests, self.resource_manager)"]);

    public static PythonError DisaggStartupFailure() => new(
        "RuntimeError",
        "Failed to start disaggregated server",
        [$"  File \"{Pkg}/commands/serve.py\", line 640, in disaggregated",
            "    asyncio.run(server(host, port))"]);

    public static PythonError DisaggTimeout() => new(
        "TimeoutError",
        "Timeout waiting for context and generation servers to be ready",
        [$"  File \"{Pkg}/serve/openai_disagg_server.py\", line 212, in lifespan",
            "    await self.wait_for_servers_ready(server_start_timeout_secs)",
            $"  File \"{Pkg}/serve/openai_disagg_server.py\", line 466, in wait_for_servers_ready",
            "    raise TimeoutError(\"Timeout waiting for context and generation servers to be ready\")"]);

    public static PythonError DisaggValue(string message) => new(
        "ValueError",
        message,
        [$"  File \"{Pkg}/commands/serve.py\", line 601, in disaggregated",
            "    disagg_cfg = parse_disagg_config_file(config_file)",
            $"  File \"{Pkg}/llmapi/disagg_utils.py\", line 102, in extract_ctx_gen_cfgs",
            "    raise ValueError(msg)"]);
}
