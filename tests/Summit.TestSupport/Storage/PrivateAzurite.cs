using System.Diagnostics;

namespace Summit.TestSupport.Storage;

/// <summary>
/// An Azurite of a test's own (the one ./test.sh installed into .tools/), on free ports with its data in a temporary
/// folder, that the test can stop and start again: a real storage outage, and a real recovery with the data kept.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    private readonly string _binary;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "summit-azurite-" + Guid.NewGuid().ToString("N"));
    private readonly int _blobPort = Ports.Free(), _queuePort = Ports.Free(), _tablePort = Ports.Free();
    private Process? _process;

    private PrivateAzurite(string binary) => _binary = binary;

    /// <summary>The well-known development account, on this instance's ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{_blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{_queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{_tablePort}/devstoreaccount1;";

    public static async Task<PrivateAzurite> StartAsync()
    {
        var binary = Path.Combine(Repository.Root, ".tools", "azurite", "node_modules", ".bin", "azurite");
        if (!File.Exists(binary))
            throw new InvalidOperationException($"Azurite is not installed at {binary}; run the tests with ./test.sh, which installs it.");
        var azurite = new PrivateAzurite(binary);
        Directory.CreateDirectory(azurite._data);
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts it (again), on the same ports and data.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(_binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--silent", "--skipApiVersionCheck", "--loose", "--location", _data,
                     "--blobHost", "127.0.0.1", "--blobPort", $"{_blobPort}", "--queueHost", "127.0.0.1", "--queuePort", $"{_queuePort}",
                     "--tableHost", "127.0.0.1", "--tablePort", $"{_tablePort}" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 120; i++)
        {
            if (Ports.Listening(_tablePort) && Ports.Listening(_queuePort)) return;
            if (_process.HasExited) throw new InvalidOperationException("Azurite exited during start.");
            await Task.Delay(250);
        }
        throw new InvalidOperationException("Azurite did not start within 30 s.");
    }

    /// <summary>Stops it the way ops would (TERM, so it writes its data), and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        if (OperatingSystem.IsWindows()) _process.Kill(entireProcessTree: true);
        else await Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExitAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await _process.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
    }

    /// <summary>Freezes it (SIGSTOP): it still accepts connections but answers nothing, as a storage that hangs.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Lets a frozen instance go on (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        if (_process is null || _process.HasExited) throw new InvalidOperationException("Azurite is not running.");
        await Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            await SignalAsync("-CONT");
            _process.Kill(entireProcessTree: true);
        }
        if (_process is not null) await _process.WaitForExitAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { /* best effort */ }
    }


}
