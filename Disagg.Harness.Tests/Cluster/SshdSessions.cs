using System.Diagnostics;
using System.Globalization;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>
/// Drops this test process's SSH connections from the server side, the way a network cut or a login-node
/// hiccup would: SIGKILL to the sshd session processes (children of the local cluster's listener) whose TCP
/// peer is a socket of this process. Other clients of the same sshd are left alone.
/// </summary>
internal static class SshdSessions
{
    public static IReadOnlyList<int> KillOurs(int sshPort, int listenerPid)
    {
        var tcp = ReadTcp();
        var ourInodes = SocketInodes(Environment.ProcessId);
        var ourPorts = tcp.Where(t => t.RemotePort == sshPort && ourInodes.Contains(t.Inode)).Select(t => t.LocalPort).ToHashSet();
        var serverInodes = tcp.Where(t => t.LocalPort == sshPort && ourPorts.Contains(t.RemotePort)).Select(t => t.Inode).ToHashSet();
        var killed = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) || pid == listenerPid) continue;
            if (!IsDescendantOf(pid, listenerPid) || !SocketInodes(pid).Overlaps(serverInodes)) continue;
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                killed.Add(pid);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
        return killed;
    }

    /// <summary>Whether a TCP socket bound to <paramref name="localPort"/> belongs to this test process.</summary>
    public static bool IsOurs(int localPort)
    {
        var ours = SocketInodes(Environment.ProcessId);
        return ReadTcp().Any(t => t.LocalPort == localPort && ours.Contains(t.Inode));
    }

    private static bool IsDescendantOf(int pid, int ancestor)
    {
        for (var depth = 0; depth < 8 && pid > 1; depth++)
        {
            pid = ParentOf(pid);
            if (pid == ancestor) return true;
        }
        return false;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is not null && int.TryParse(line[5..].Trim(), CultureInfo.InvariantCulture, out var parent) ? parent : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static HashSet<long> SocketInodes(int pid)
    {
        var inodes = new HashSet<long>();
        try
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                string? target;
                try { target = new FileInfo(fd).LinkTarget; }
                catch (IOException) { continue; }
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) &&
                    long.TryParse(target[8..^1], CultureInfo.InvariantCulture, out var inode))
                    inodes.Add(inode);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended or is not ours to inspect.
        }
        return inodes;
    }

    /// <summary>(local port, remote port, inode) of every IPv4/IPv6 TCP socket, from /proc/net/tcp*.</summary>
    private static List<(int LocalPort, int RemotePort, long Inode)> ReadTcp()
    {
        var sockets = new List<(int, int, long)>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file)) continue;
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10) continue;
                sockets.Add((Port(f[1]), Port(f[2]), long.Parse(f[9], CultureInfo.InvariantCulture)));
            }
        }
        return sockets;
    }

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
