namespace Disagg.Harness.Cluster;

/// <summary>File access to job workspaces as the cluster sees them (a local folder, or SFTP on a login node).</summary>
public interface IClusterFiles
{
    Task WriteAsync(string path, string content, bool executable, CancellationToken cancellationToken);

    /// <summary>Reads bytes from <paramref name="offset"/> to the end; empty when the file does not exist (yet).</summary>
    Task<byte[]> ReadFromAsync(string path, long offset, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    Task CreateDirectoryAsync(string path, CancellationToken cancellationToken);

    /// <summary>Removes a file; a file that does not exist is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
