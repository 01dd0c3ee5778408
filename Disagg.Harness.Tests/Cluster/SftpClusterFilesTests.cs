using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>Job workspace files over SFTP to the local cluster's sshd.</summary>
[RequiresCluster(Needs.Ssh)]
[Category("cluster")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[NonParallelizable]
public sealed class SftpClusterFilesTests
{
    [Test, CancelAfter(30_000)]
    public async Task Writes_with_mode_bits_and_reads_only_new_bytes(CancellationToken token)
    {
        await using var connection = SshTestCluster.Connect();
        var files = new SftpClusterFiles(connection);
        var runner = new SshCommandRunner(connection);
        var root = $"/tmp/disagg-sftp-{Guid.NewGuid():N}";
        var script = $"{root}/a/b/run.sh";
        var log = $"{root}/a/b/server.log";
        try
        {
            await files.WriteAsync(script, "#!/bin/bash\necho ran \"$1\"\n", executable: true, token);
            await files.WriteAsync(log, "line 1\n", executable: false, token);
            var ran = await runner.RunAsync(Command.Of(script, "über"), token);
            var modes = await runner.RunAsync(Command.Of("stat", "-c", "%a", script, log), token);
            var first = await files.ReadFromAsync(log, 0, token);
            await runner.RunAsync(Command.Of("bash", "-c", $"printf 'line 2\\nline 3\\n' >> {log}"), token);
            var next = await files.ReadFromAsync(log, first.Length, token);
            var atEnd = await files.ReadFromAsync(log, first.Length + next.Length, token);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(ran.StandardOutput, Is.EqualTo("ran über\n"), "the staged script must be executable and UTF-8");
                Assert.That(modes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "755", "644" }));
                Assert.That(Encoding.UTF8.GetString(first), Is.EqualTo("line 1\n"));
                Assert.That(Encoding.UTF8.GetString(next), Is.EqualTo("line 2\nline 3\n"), "only the bytes appended since the last read");
                Assert.That(atEnd, Is.Empty, "nothing new");
                Assert.That(await files.ReadFromAsync($"{root}/missing.log", 0, token), Is.Empty, "a file not written yet reads as empty");
                Assert.That(await files.ExistsAsync(log, token), Is.True);
                Assert.That(await files.ExistsAsync($"{root}/missing.log", token), Is.False);
            }
        }
        finally
        {
            await runner.RunAsync(Command.Of("rm", "-rf", root), CancellationToken.None);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Mkdir_p_and_copying_a_workspace_back(CancellationToken token)
    {
        await using var connection = SshTestCluster.Connect();
        var files = new SftpClusterFiles(connection);
        var root = $"/tmp/disagg-sftp-{Guid.NewGuid():N}";
        var local = Directory.CreateTempSubdirectory("disagg-sftp-").FullName;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => files.CreateDirectoryAsync($"{root}/shared/t{i}", token)));
            await files.CreateDirectoryAsync($"{root}/shared/t0", token);
            await files.WriteAsync($"{root}/shared/t0/job.sbatch", "#!/bin/bash\n", executable: true, token);
            await files.WriteAsync($"{root}/shared/t0/logs/out.log", "hello\n", executable: false, token);

            var bytes = await files.DownloadDirectoryAsync($"{root}/shared", local, token);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(bytes, Is.EqualTo(12 + 6));
                Assert.That(Directory.Exists(Path.Combine(local, "t3")), Is.True, "parallel mkdir -p of siblings");
                Assert.That(File.ReadAllText(Path.Combine(local, "t0", "logs", "out.log")), Is.EqualTo("hello\n"));
                Assert.That(File.GetUnixFileMode(Path.Combine(local, "t0", "job.sbatch")).HasFlag(UnixFileMode.UserExecute), Is.True, "executable bit kept");
            }
        }
        finally
        {
            await new SshCommandRunner(connection).RunAsync(Command.Of("rm", "-rf", root), CancellationToken.None);
            Directory.Delete(local, recursive: true);
        }
    }
}
