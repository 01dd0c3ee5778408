using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Disagg.Harness.Cluster;

/// <summary>The verdict on one host key, with the line that decided it (for messages).</summary>
public sealed record HostKeyCheck(HostKeyStatus Status, string KnownFingerprint = "", int Line = 0);
