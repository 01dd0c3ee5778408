using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Disagg.Harness.Cluster;

/// <summary>
/// Job workspaces on the login node, over the run's SFTP connection. Every operation is idempotent
/// (whole-file writes, offset reads), so each is repeated after a reconnect.
/// </summary>
public sealed class SftpClusterFiles(SshConnection connection) : IClusterFiles
{
    // SSH.NET takes the mode as its octal digits written in decimal (755 means rwxr-xr-x).
    private const short ExecutableMode = 755;
    private const short RegularMode = 644;

    public async Task WriteAsync(string path, string content, bool executable, CancellationToken cancellationToken)
    {
        await CreateDirectoryAsync(ParentOf(path), cancellationToken).ConfigureAwait(false);
        await UseAsync("write", path, async (sftp, token) =>
        {
            using var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(content));
            await sftp.UploadFileAsync(stream, path, token).ConfigureAwait(false);
            sftp.ChangePermissions(path, executable ? ExecutableMode : RegularMode);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<byte[]> ReadFromAsync(string path, long offset, CancellationToken cancellationToken) =>
        UseAsync("read", path, async (sftp, token) =>
        {
            Renci.SshNet.Sftp.SftpFileStream stream;
            try
            {
                stream = await sftp.OpenAsync(path, FileMode.Open, FileAccess.Read, token).ConfigureAwait(false);
            }
            catch (SftpPathNotFoundException)
            {
                return Array.Empty<byte>();
            }
            await using (stream.ConfigureAwait(false))
            {
                if (offset >= stream.Length) return [];
                stream.Seek(offset, SeekOrigin.Begin);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, token).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }, cancellationToken);

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        UseAsync("exists", path, (sftp, token) => sftp.ExistsAsync(path, token), cancellationToken);

    /// <summary>Removes a file; a file that does not exist is not an error. (IClusterFiles gains this on main.)</summary>
    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        UseAsync("delete", path, async (sftp, token) =>
        {
            try
            {
                await sftp.DeleteFileAsync(path, token).ConfigureAwait(false);
            }
            catch (SftpPathNotFoundException)
            {
            }
            return true;
        }, cancellationToken);

    /// <summary><c>mkdir -p</c>: creates each missing component; a component created meanwhile by a parallel test is fine.</summary>
    public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken) =>
        UseAsync("mkdir", path, async (sftp, token) =>
        {
            if (await sftp.ExistsAsync(path, token).ConfigureAwait(false)) return true;
            var current = path.StartsWith('/') ? "" : ".";
            foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                current += "/" + part;
                if (await sftp.ExistsAsync(current, token).ConfigureAwait(false)) continue;
                try
                {
                    await sftp.CreateDirectoryAsync(current, token).ConfigureAwait(false);
                }
                catch (SshException) when (sftp.IsConnected)
                {
                    if (!await sftp.ExistsAsync(current, token).ConfigureAwait(false)) throw;
                }
            }
            return true;
        }, cancellationToken);

    /// <summary>Copies a remote folder tree into <paramref name="localDirectory"/>, keeping the executable bit. Returns the bytes copied.</summary>
    public async Task<long> DownloadDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(localDirectory);
        var entries = await UseAsync("list", remoteDirectory, async (sftp, token) =>
        {
            var list = new List<(string Name, bool Directory, bool Executable)>();
            await foreach (var entry in sftp.ListDirectoryAsync(remoteDirectory, token).ConfigureAwait(false))
                if (entry.Name is not "." and not ".." && (entry.IsDirectory || entry.IsRegularFile))
                    list.Add((entry.Name, entry.IsDirectory, entry.OwnerCanExecute));
            return list;
        }, cancellationToken).ConfigureAwait(false);
        long bytes = 0;
        foreach (var (name, isDirectory, executable) in entries)
        {
            var remote = remoteDirectory.TrimEnd('/') + "/" + name;
            var local = Path.Combine(localDirectory, name);
            if (isDirectory)
            {
                bytes += await DownloadDirectoryAsync(remote, local, cancellationToken).ConfigureAwait(false);
                continue;
            }
            bytes += await UseAsync("download", remote, async (sftp, token) =>
            {
                var file = new FileStream(local, FileMode.Create, FileAccess.Write);
                await using (file.ConfigureAwait(false))
                {
                    await sftp.DownloadFileAsync(remote, file, token).ConfigureAwait(false);
                    return file.Length;
                }
            }, cancellationToken).ConfigureAwait(false);
            if (executable && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(local, File.GetUnixFileMode(local) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return bytes;
    }

    private static string ParentOf(string path)
    {
        var slash = path.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private Task<T> UseAsync<T>(string operation, string path, Func<SftpClient, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        connection.UseAsync(Command.Of("sftp", operation, path), idempotent: true, action, cancellationToken);
}
