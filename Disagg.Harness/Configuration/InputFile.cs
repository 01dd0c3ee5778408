using System.Buffers;
using System.Text;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Reads a config, test list or profile as strict UTF-8 text. A file over <see cref="InputLimits.MaxFileBytes"/>
/// is refused before it is read; bytes that are not UTF-8 are refused at their line and column instead of being
/// turned into U+FFFD and rendered into a job. A UTF-8 byte order mark is accepted and dropped.
/// </summary>
public static class InputFile
{
    public static string Read(string path, string what)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > InputLimits.MaxFileBytes)
                throw new ConfigException([new ConfigError(path, 0, 0, "",
                    $"the {what} is {length} bytes; the limit is {InputLimits.MaxFileBytes} bytes (docs/limits.md)")]);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(path, 0, 0, "", $"cannot read the {what}: {e.Message}")]);
        }
        // The file may have grown between the size check and the read.
        if (bytes.Length > InputLimits.MaxFileBytes)
            throw new ConfigException([new ConfigError(path, 0, 0, "",
                $"the {what} is {bytes.Length} bytes; the limit is {InputLimits.MaxFileBytes} bytes (docs/limits.md)")]);
        return Decode(bytes, path);
    }

    /// <summary>The text of <paramref name="bytes"/>, or a located error at the first byte that is not UTF-8.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        var (line, column) = (1, 1);
        var rest = bytes;
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(rest, out var rune, out var consumed);
            if (status != OperationStatus.Done)
                throw new ConfigException([new ConfigError(path, line, column, "",
                    $"byte 0x{rest[0]:X2} at offset {bytes.Length - rest.Length} is not UTF-8; save the file as UTF-8")]);
            if (rune.Value == '\n') (line, column) = (line + 1, 1);
            else column++;
            rest = rest[consumed..];
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
