using System.Diagnostics;
using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Disagg.Harness.Cluster;

/// <summary>
/// The run's link to a login node: one SSH.NET <see cref="SshClient"/> for commands and one
/// <see cref="SftpClient"/> for files, each connected on first use and shared by every test (SSH
/// multiplexes channels, so parallel tests need no pool). Host keys are checked against the profile's
/// known_hosts. A dropped link is re-established with backoff; once it has been down longer than
/// <see cref="ReconnectBudget"/>, operations fail with a <see cref="CommandFailedException"/> saying so.
/// <para>
/// With <see cref="SshSettings.Jump"/>, a third client connects to the jump host first (its key checked against
/// the jump's known_hosts) and a <see cref="ForwardedPortLocal"/> from 127.0.0.1:&lt;ephemeral&gt; to the target
/// runs over it; the command and SFTP clients connect to that local port, but the TARGET's host key is checked
/// under the target's own name and port. Reconnecting re-establishes the jump (and a new forward) first when it
/// is down.
/// </para>
/// </summary>
public sealed class SshConnection : IAsyncDisposable
{
    /// <summary>Environment variable holding the private key's passphrase; never logged.</summary>
    public const string PassphraseVariable = "DISAGG_SSH_KEY_PASSPHRASE";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly SshSettings _settings;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, IPrivateKeySource> _keys = new(StringComparer.Ordinal);
    private SshClient? _jump;
    private ForwardedPortLocal? _forward;
    private SshClient? _ssh;
    private SftpClient? _sftp;
    private DateTimeOffset? _downSince;
    private bool _disposed;

    public SshConnection(SshSettings settings, TimeProvider time, Action<string> log, TimeSpan? reconnectBudget = null)
    {
        _settings = settings;
        _time = time;
        _log = log;
        ReconnectBudget = reconnectBudget ?? TimeSpan.FromSeconds(60);
    }

    public TimeSpan ReconnectBudget { get; }

    /// <summary>How often a lost link was re-established (for logs and tests).</summary>
    public int Reconnects { get; private set; }

    /// <summary><c>user@host:port</c>, for messages.</summary>
    public string Target => $"{_settings.User}@{_settings.Host}:{_settings.Port}" +
        (_settings.Jump is { } jump ? $" via {jump.User}@{jump.Host}:{jump.Port}" : "");

    /// <summary>How often the jump host's connection (and its forward) was opened; 0 without a jump.</summary>
    public int JumpConnects { get; private set; }

    /// <summary>Connects both clients now (instead of on first use), e.g. to fail a run early on a bad host key.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await ClientAsync(sftp: false, cancellationToken).ConfigureAwait(false);
        await ClientAsync(sftp: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on a connected client. When the link drops, it is re-established
    /// and the operation repeated if it is <paramref name="idempotent"/>; otherwise (or when the reconnect
    /// budget is spent) a <see cref="CommandFailedException"/> says the connection was lost.
    /// </summary>
    internal async Task<T> UseAsync<TClient, T>(Command what, bool idempotent, Func<TClient, CancellationToken, Task<T>> operation,
        CancellationToken cancellationToken)
        where TClient : BaseClient
    {
        var sftp = typeof(TClient) == typeof(SftpClient);
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BaseClient client;
            try
            {
                client = await ClientAsync(sftp, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConnectionError(e))
            {
                await BackoffOrThrowAsync(what, attempt, e, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                return await operation((TClient)client, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConnectionError(e) || (e is SshException && !IsConnected(client)))
            {
                await MarkLostAsync(client, e).ConfigureAwait(false);
                if (!idempotent)
                    throw Lost(what, clock, e, "the connection dropped while the command ran, so whether it took effect on the cluster is unknown");
                await BackoffOrThrowAsync(what, attempt, e, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task BackoffOrThrowAsync(Command what, int attempt, Exception error, Stopwatch clock, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _downSince ??= now;
        if (now - _downSince.Value >= ReconnectBudget)
            throw Lost(what, clock, error, $"it could not be re-established within {ReconnectBudget.TotalSeconds:0} s");
        var delay = TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt - 1), MaxBackoff.TotalMilliseconds));
        _log($"ssh {Target}: {Describe(error)}; retrying in {delay.TotalSeconds:0.##} s (attempt {attempt})");
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private CommandFailedException Lost(Command what, Stopwatch clock, Exception error, string detail)
    {
        var result = new CommandResult(what, -1, "", $"ssh connection to {Target} lost: {Describe(error)}", clock.Elapsed);
        return new CommandFailedException(result,
            $"the connection to {Target} was lost and {detail}; nothing is known about the job from this failure (it was not seen to finish or fail)");
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    private static bool IsConnected(BaseClient client)
    {
        try { return client.IsConnected; }
        catch (ObjectDisposedException) { return false; }
    }

    /// <summary>Failures of the link itself (as opposed to a command or file that failed on a healthy link).</summary>
    private static bool IsConnectionError(Exception e) =>
        e is SshConnectionException or SocketException or ObjectDisposedException or SshOperationTimeoutException or ProxyException or TimeoutException;

    private async Task<BaseClient> ClientAsync(bool sftp, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed) throw new InvalidOperationException($"the ssh connection to {Target} was closed at the end of the run");
            BaseClient? current = sftp ? _sftp : _ssh;
            if (current is not null && IsConnected(current)) return current;
            if (current is not null)
            {
                // Found closed before an operation failed on it (the server or the network dropped it meanwhile).
                _downSince ??= _time.GetUtcNow();
                _log($"ssh {Target}: {(sftp ? "sftp" : "command")} connection found closed; reconnecting");
                current.Dispose();
            }
            var (host, port) = await RouteAsync(cancellationToken).ConfigureAwait(false);
            var client = await ConnectNewAsync(_settings, sftp ? "sftp" : "command", host, port, cancellationToken).ConfigureAwait(false);
            if (sftp) _sftp = (SftpClient)client;
            else _ssh = (SshClient)client;
            if (_downSince is { } since)
            {
                Reconnects++;
                _log($"ssh {Target}: connection re-established after {(_time.GetUtcNow() - since).TotalSeconds:0.0} s");
                _downSince = null;
            }
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Where the command and SFTP clients connect: the target itself, or (with a jump host) the local end of a
    /// forward through the jump, which is (re)established here when missing or dead. Called under <see cref="_gate"/>.
    /// </summary>
    private async Task<(string Host, int Port)> RouteAsync(CancellationToken cancellationToken)
    {
        if (_settings.Jump is not { } jump) return (_settings.Host, _settings.Port);
        if (_jump is not null && IsConnected(_jump) && _forward is { IsStarted: true })
            return ("127.0.0.1", checked((int)_forward.BoundPort));
        if (_jump is not null)
        {
            _log($"ssh {Target}: jump host connection found closed; reconnecting it first");
            DropJump();
        }
        var client = (SshClient)await ConnectNewAsync(jump, "jump", jump.Host, jump.Port, cancellationToken).ConfigureAwait(false);
        try
        {
            var forward = new ForwardedPortLocal("127.0.0.1", 0, _settings.Host, checked((uint)_settings.Port));
            forward.Exception += (_, e) => _log($"ssh {Target}: forward through the jump host: {Describe(e.Exception)}");
            client.AddForwardedPort(forward);
            forward.Start();
            _jump = client;
            _forward = forward;
        }
        catch
        {
            client.Dispose();
            throw;
        }
        JumpConnects++;
        _log($"ssh {Target}: jump host connected; forwarding 127.0.0.1:{_forward.BoundPort} to {_settings.Host}:{_settings.Port}");
        return ("127.0.0.1", checked((int)_forward.BoundPort));
    }

    private void DropJump()
    {
        try { _forward?.Stop(); }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or SshException or SocketException) { }
        _forward?.Dispose();
        _jump?.Dispose();
        _forward = null;
        _jump = null;
    }

    /// <summary>
    /// Connects a client for <paramref name="settings"/> (the target or the jump) to <paramref name="host"/>:<paramref name="port"/>,
    /// which differ from the settings' own when tunnelled; the host key is always checked under the settings' host and port.
    /// </summary>
    private async Task<BaseClient> ConnectNewAsync(SshSettings settings, string role, string host, int port, CancellationToken cancellationToken)
    {
        var info = new PrivateKeyConnectionInfo(host, port, settings.User, LoadKey(settings)) { Timeout = ConnectTimeout };
        BaseClient client = role == "sftp" ? new SftpClient(info) { OperationTimeout = TimeSpan.FromMinutes(2) } : new SshClient(info);
        client.KeepAliveInterval = TimeSpan.FromSeconds(5);
        SshHostKeyException? rejected = null;
        client.HostKeyReceived += (_, e) =>
        {
            rejected = VerifyHostKey(settings, role == "jump", e.HostKey);
            e.CanTrust = rejected is null;
        };
        var target = $"{settings.User}@{settings.Host}:{settings.Port}" + (role == "jump"
            ? " (jump host)"
            : host != settings.Host || port != settings.Port ? $" (through the jump host, via {host}:{port})" : "");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception e)
        {
            client.Dispose();
            if (rejected is not null) throw rejected;
            if (e is SshAuthenticationException)
            {
                var keys = settings.KeyPath == ClusterProfileLoader.AgentKey
                    ? $"the ssh-agent's keys ({SshAgent.SocketVariable})"
                    : $"the key {settings.KeyPath}";
                throw new SshAuthenticationException(
                    $"{target} refused {keys}: {e.Message}. Check {(role == "jump" ? "ssh.jump.user" : "ssh.user")} " +
                    "and that the public key is in the account's authorized_keys.", e);
            }
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new TimeoutException($"connecting to {target} took longer than {ConnectTimeout.TotalSeconds:0} s", e);
            throw;
        }
    }

    /// <summary>Null when the key is acceptable; otherwise the exception explaining why not.</summary>
    private SshHostKeyException? VerifyHostKey(SshSettings settings, bool isJump, byte[] key)
    {
        var file = settings.KnownHostsPath;
        var name = KnownHosts.HostName(settings.Host, settings.Port);
        var who = isJump ? $"the jump host {name}" : name;
        var section = isJump ? "ssh.jump" : "ssh";
        var presented = $"{KnownHosts.KeyType(key)} {KnownHosts.Fingerprint(key)}";
        var check = KnownHosts.Check(file, settings.Host, settings.Port, key);
        switch (check.Status)
        {
            case HostKeyStatus.Known:
                return null;
            case HostKeyStatus.Changed:
                return new SshHostKeyException(
                    $"REFUSED: the host key of {who} has CHANGED. {file} line {check.Line} has {KnownHosts.KeyType(key)} {check.KnownFingerprint}, " +
                    $"the server presented {presented}. This is either a reinstalled host or a man-in-the-middle; " +
                    $"{section}.trust_unknown_host does not override it. " +
                    $"If the new key is expected, remove the old entry (ssh-keygen -R '{name}' -f {file}) and connect again.", check.Status);
            case HostKeyStatus.Revoked:
                return new SshHostKeyException($"REFUSED: the host key of {who} ({presented}) is marked @revoked in {file} line {check.Line}.", check.Status);
            default:
                if (!settings.TrustUnknownHost)
                    return new SshHostKeyException(
                        $"REFUSED: {who} is not in {file} (the server presented {presented}). Verify that fingerprint, then add the key " +
                        $"(ssh-keyscan -p {settings.Port} {settings.Host} >> {file}{(isJump || settings.Jump is null ? "" : ", run on the jump host")}) " +
                        $"or set {section}.trust_unknown_host: true in the cluster profile to record it on first use.",
                        check.Status);
                KnownHosts.Append(file, settings.Host, settings.Port, key); // connects are serialised by _gate
                _log($"ssh {Target}: unknown host key {presented} of {who} trusted ({section}.trust_unknown_host) and recorded in {file}");
                return null;
        }
    }

    /// <summary>
    /// The key file (cached), or with <c>key: agent</c> the identities of the ssh-agent named by SSH_AUTH_SOCK, listed
    /// afresh on every connect (keys may have been added or the agent restarted since).
    /// </summary>
    private IPrivateKeySource LoadKey(SshSettings settings)
    {
        var path = settings.KeyPath;
        if (path == ClusterProfileLoader.AgentKey)
        {
            var source = SshAgentKeySource.Load(SshAgent.FromEnvironment());
            var identities = string.Join(", ", source.Identities.Select(i => $"{i.KeyType} {i.Comment}"));
            _log($"ssh {settings.User}@{settings.Host}:{settings.Port}: using ssh-agent at {source.Agent.SocketPath} ({identities})");
            return source;
        }
        if (_keys.TryGetValue(path, out var cached)) return cached;
        if (!File.Exists(path))
            throw new FileNotFoundException($"ssh.key: private key {path} does not exist", path);
        var passphrase = Environment.GetEnvironmentVariable(PassphraseVariable);
        try
        {
            return _keys[path] = string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(path) : new PrivateKeyFile(path, passphrase);
        }
        catch (SshPassPhraseNullOrEmptyException e)
        {
            throw new InvalidOperationException($"ssh.key: {path} is encrypted; put its passphrase in {PassphraseVariable}", e);
        }
    }

    private async Task MarkLostAsync(BaseClient client, Exception error)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(client, _ssh) && !ReferenceEquals(client, _sftp)) return;
            _downSince ??= _time.GetUtcNow();
            _log($"ssh {Target}: {(client is SftpClient ? "sftp" : "command")} connection lost ({Describe(error)}); reconnecting");
            if (ReferenceEquals(client, _ssh)) _ssh = null;
            else _sftp = null;
            client.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _ssh?.Dispose();
            _sftp?.Dispose();
            _ssh = null;
            _sftp = null;
            DropJump();
        }
        finally
        {
            _gate.Release();
        }
    }
}
