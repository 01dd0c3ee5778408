using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Disagg.Harness.Cluster;

/// <summary>What an OpenSSH known_hosts file says about the key a server presented.</summary>
public enum HostKeyStatus { Known, Unknown, Changed, Revoked }
