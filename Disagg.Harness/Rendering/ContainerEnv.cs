using System.Text;

namespace Disagg.Harness.Rendering;

/// <summary>
/// Lines every launcher runs after its exports, as upstream's start_worker.sh, start_server.sh and run_benchmark.sh do:
/// container runtimes reset image-defined variables such as PATH, so the config prepends entries from inside the
/// container (<c>TRTLLM_PATH_PREPEND</c>, <c>TRTLLM_PYTHONPATH_PREPEND</c>); workers also clear the container's
/// <c>UCX_TLS</c> unless the config pins a transport list (<c>TRTLLM_WORKER_UCX_TLS</c>, and
/// <c>TRTLLM_WORKER_UCX_NET_DEVICES</c> for the interface) that some clusters need to connect CTX to GEN at all.
/// </summary>
public static class ContainerEnv
{
    public static void AppendPathPrepends(StringBuilder sb)
    {
        sb.AppendLine("if [ -n \"${TRTLLM_PATH_PREPEND:-}\" ]; then export PATH=\"$TRTLLM_PATH_PREPEND:$PATH\"; fi");
        sb.AppendLine("if [ -n \"${TRTLLM_PYTHONPATH_PREPEND:-}\" ]; then export PYTHONPATH=\"$TRTLLM_PYTHONPATH_PREPEND${PYTHONPATH:+:$PYTHONPATH}\"; fi");
    }

    /// <param name="clearNetDevices">The DWDP worker also clears the container's <c>UCX_NET_DEVICES</c> when the config pins none.</param>
    public static void AppendUcxPins(StringBuilder sb, bool clearNetDevices = false)
    {
        sb.AppendLine("if [ -n \"${TRTLLM_WORKER_UCX_TLS:-}\" ]; then export UCX_TLS=\"$TRTLLM_WORKER_UCX_TLS\"; else unset UCX_TLS; fi");
        sb.Append("if [ -n \"${TRTLLM_WORKER_UCX_NET_DEVICES:-}\" ]; then export UCX_NET_DEVICES=\"$TRTLLM_WORKER_UCX_NET_DEVICES\";")
          .AppendLine(clearNetDevices ? " else unset UCX_NET_DEVICES; fi" : " fi");
    }
}
