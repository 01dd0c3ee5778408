using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace Disagg.Harness.Cluster;

/// <summary>The agent could not be reached, has no keys, or refused a request.</summary>
public sealed class SshAgentException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
