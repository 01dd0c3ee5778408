using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Disagg.Harness.Cluster;

/// <summary>
/// Reads and appends OpenSSH known_hosts files: plain, wildcard (<c>*</c>, <c>?</c>, <c>!</c>) and hashed
/// (<c>|1|salt|hash</c>) host patterns, <c>[host]:port</c> for non-22 ports and <c>@revoked</c> lines
/// (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). <c>@cert-authority</c> lines are ignored: host certificates are
/// not supported.
/// </summary>
public static class KnownHosts
{
    /// <summary>The name a known_hosts line uses for a host: <c>host</c> on port 22, else <c>[host]:port</c>.</summary>
    public static string HostName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    /// <summary>OpenSSH's format: <c>SHA256:</c> and unpadded base64 of the key blob's SHA-256.</summary>
    public static string Fingerprint(byte[] keyBlob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    /// <summary>The algorithm name at the start of an SSH key blob (<c>ssh-ed25519</c>, <c>ssh-rsa</c>, ...).</summary>
    public static string KeyType(byte[] keyBlob)
    {
        if (keyBlob.Length < 4) return "";
        var length = BinaryPrimitives.ReadInt32BigEndian(keyBlob);
        return length > 0 && length <= keyBlob.Length - 4 ? Encoding.ASCII.GetString(keyBlob, 4, length) : "";
    }

    public static HostKeyCheck Check(string file, string host, int port, byte[] keyBlob)
    {
        if (!File.Exists(file)) return new HostKeyCheck(HostKeyStatus.Unknown);
        var name = HostName(host, port);
        var type = KeyType(keyBlob);
        HostKeyCheck? changed = null;
        var known = false;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(file))
        {
            lineNumber++;
            var fields = raw.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#')) continue;
            var marker = fields[0].StartsWith('@') ? fields[0] : null;
            if (marker is not null) fields = fields[1..];
            if (fields.Length < 3 || marker == "@cert-authority" || !Matches(fields[0], name)) continue;
            byte[] blob;
            try { blob = Convert.FromBase64String(fields[2]); }
            catch (FormatException) { continue; }
            var same = blob.AsSpan().SequenceEqual(keyBlob);
            if (marker == "@revoked")
            {
                if (same) return new HostKeyCheck(HostKeyStatus.Revoked, Fingerprint(blob), lineNumber);
                continue;
            }
            if (same) known = true;
            else if (KeyType(blob) == type) changed ??= new HostKeyCheck(HostKeyStatus.Changed, Fingerprint(blob), lineNumber);
        }
        // OpenSSH accepts a key listed on any matching line even when another line lists an older one.
        return known ? new HostKeyCheck(HostKeyStatus.Known) : changed ?? new HostKeyCheck(HostKeyStatus.Unknown);
    }

    /// <summary>Records a key the way <c>ssh</c> does on first contact (one plain line, appended).</summary>
    public static void Append(string file, string host, int port, byte[] keyBlob)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null) Directory.CreateDirectory(directory);
        var needsNewline = File.Exists(file) && new FileInfo(file).Length > 0 && !File.ReadAllText(file).EndsWith('\n');
        File.AppendAllText(file, (needsNewline ? "\n" : "") + $"{HostName(host, port)} {KeyType(keyBlob)} {Convert.ToBase64String(keyBlob)}\n");
    }

    /// <summary>A comma-separated pattern list matches when a positive pattern does and no negated one does.</summary>
    internal static bool Matches(string patterns, string name)
    {
        var matched = false;
        foreach (var pattern in patterns.Split(','))
        {
            if (pattern.StartsWith("|1|", StringComparison.Ordinal))
            {
                matched |= HashedMatches(pattern, name);
                continue;
            }
            var negated = pattern.StartsWith('!');
            var glob = negated ? pattern[1..] : pattern;
            var regex = "^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
            if (!Regex.IsMatch(name, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))) continue;
            if (negated) return false;
            matched = true;
        }
        return matched;
    }

    /// <summary><c>|1|base64(salt)|base64(HMAC-SHA1(salt, name))</c>, as written with HashKnownHosts yes.</summary>
    private static bool HashedMatches(string pattern, string name)
    {
        var parts = pattern.Split('|');
        if (parts.Length != 4) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var hash = Convert.FromBase64String(parts[3]);
            return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(name)), hash);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
