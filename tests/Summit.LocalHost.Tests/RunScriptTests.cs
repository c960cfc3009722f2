using Microsoft.Extensions.Configuration;
using System.Diagnostics;
using System.Net;
using Summit.TestSupport;
using System.Text;
using System.Text.Json;
using Summit.TestSupport.Storage;

namespace Summit.LocalHost.Tests;

/// <summary>
/// The README's run command itself, as a newcomer runs it: <c>./run.sh</c> in a fresh copy of the repository (no
/// local.settings.json, no build output), on a free port. It must create the settings with fresh keys, build, start
/// the local host, print the URLs and the key, stop on Ctrl+C, and be safe to run again. Azurite already runs here
/// (the tests' own), so the script must use it and leave it running.
/// </summary>
[Collection(nameof(RunScriptTests))] // alone: it builds the whole source tree, which would starve the timed tests beside it
public sealed class RunScriptTests : IAsyncLifetime
{
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "summit-run-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync()
    {
        await Azurite.EnsureRunningAsync();
        var repository = Paths.Repository;
        foreach (var file in new[] { "run.sh", "host.json", "local.settings.sample.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
            CopyFile(Path.Combine(repository, file), Path.Combine(_copy, file));
        CopyTree(Path.Combine(repository, "scripts"), Path.Combine(_copy, "scripts"));
        CopyTree(Path.Combine(repository, "src"), Path.Combine(_copy, "src"));
    }

    public async Task DisposeAsync()
    {
        try { Directory.Delete(_copy, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try
        {
            await Azurite.DeleteTablesAsync(TablePrefix);
            await new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, QueueName).DeleteIfExistsAsync();
            await new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, QueueName + "-poison").DeleteIfExistsAsync();
        }
        catch (Exception) { /* best-effort clean-up */ }
    }

    [Fact]
    public async Task RunShStartsTheWholeSystemFromAFreshCopyStopsOnCtrlCAndRunsAgainWithTheSameSettings()
    {
        var port = Ports.Free();
        var settingsFile = Path.Combine(_copy, "local.settings.json");
        Assert.False(File.Exists(settingsFile));

        // First run: settings created with fresh keys, built, started, banner printed.
        await using (var first = RunScript.Start(_copy, port))
        {
            await first.WaitForBannerAsync(TimeSpan.FromMinutes(6));
            var output = first.Output;
            Assert.Contains("Created local.settings.json from the sample (git-ignored).", output);
            Assert.DoesNotContain("started (pid", output); // the running Azurite is used, not a second one started
            var values = JsonDocument.Parse(await File.ReadAllTextAsync(settingsFile)).RootElement.GetProperty("Values");
            var functionKey = values.GetProperty("LocalHost__FunctionKey").GetString()!;
            var masterKey = values.GetProperty("LocalHost__MasterKey").GetString()!;
            Assert.True(functionKey.Length >= 32, "a fresh random function key");
            Assert.NotEqual(functionKey, masterKey);
            // A local Event Webhook key pair, one pair (Configure refuses a mismatch); the private half is never printed.
            var eventPrivateKey = values.GetProperty("LocalHost__EventWebhookPrivateKey").GetString()!;
            var eventPublicKey = values.GetProperty("EventWebhook__PublicKey").GetString()!;
            using (Summit.LocalHost.DeliveryEvents.LocalEventSigner.Configure(
                new ConfigurationBuilder().AddInMemoryCollection(
                    new Dictionary<string, string?> { [Summit.LocalHost.DeliveryEvents.LocalEventSigner.PublicKeySetting] = eventPublicKey }).Build(),
                new LocalHostOptions { EventWebhookPrivateKey = eventPrivateKey })) { }
            Assert.DoesNotContain(eventPrivateKey, output);
            Assert.Contains("each email written reports processed and delivered", output);
            Assert.Contains($"API           http://127.0.0.1:{port}/api", output);
            Assert.Contains($"Health        http://127.0.0.1:{port}/api/health", output);
            Assert.Contains($"Emails        {Path.Combine(_copy, ".local", "outbox", "index.html")}", output);
            Assert.Contains($"Function key  {functionKey}", output);
            Assert.Contains("for local development only", output);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/meetings")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/meetings?code={functionKey}")).StatusCode);

            // A second ./run.sh while the first holds the port says so and leaves the first alone.
            await using (var second = RunScript.Start(_copy, port))
            {
                Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
                Assert.Contains($"Port {port} is already in use", second.Output);
            }
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);

            // Ctrl+C: the host stops gracefully and the script ends; the Azurite it did not start keeps running.
            first.Interrupt();
            Assert.Equal(130, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.False(Ports.Listening(port), "the host still listens after Ctrl+C");
            Assert.True(Ports.Listening(10002), "the tests' Azurite was stopped by a script that did not start it");
        }

        // Second run: the same settings and keys, nothing created again.
        var before = await File.ReadAllTextAsync(settingsFile);
        await using (var again = RunScript.Start(_copy, port))
        {
            await again.WaitForBannerAsync(TimeSpan.FromMinutes(3));
            Assert.DoesNotContain("Created local.settings.json", again.Output);
            Assert.DoesNotContain("local.settings.json: set", again.Output);
            again.Interrupt();
            Assert.Equal(130, await again.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
        Assert.Equal(before, await File.ReadAllTextAsync(settingsFile));
    }



    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, File.GetUnixFileMode(from));
    }

    /// <summary>Copies a source tree as a clone has it: without build output.</summary>
    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Any(p => p is "bin" or "obj")) continue;
            CopyFile(file, Path.Combine(to, relative));
        }
    }

    private static readonly string TablePrefix = Azurite.NewTablePrefix();
    private static readonly string QueueName = "r" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>One <c>./run.sh</c> process, its output kept.</summary>
    private sealed class RunScript : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private RunScript(Process process) => _process = process;

        public string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        public static RunScript Start(string directory, int port)
        {
            var start = new ProcessStartInfo("bash") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("run.sh");
            start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Its own tables and queue on the shared Azurite, and no timers of its own: a developer's ./run.sh data on the
            // same Azurite stays untouched (environment variables override local.settings.json, as with Core Tools).
            start.Environment["Storage__TablePrefix"] = TablePrefix;
            start.Environment["StorageQueue__QueueName"] = QueueName;
            start.Environment["AzureWebJobs.ScheduleDueReminders.Disabled"] = "true";
            start.Environment["AzureWebJobs.DeliverReminders.Disabled"] = "true";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            var script = new RunScript(Process.Start(start)!);
            script._process.OutputDataReceived += (_, e) => { lock (script._output) script._output.AppendLine(e.Data); };
            script._process.ErrorDataReceived += (_, e) => { lock (script._output) script._output.AppendLine(e.Data); };
            script._process.BeginOutputReadLine();
            script._process.BeginErrorReadLine();
            return script;
        }

        public async Task WaitForBannerAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Output.Contains("Ctrl+C stops it.", StringComparison.Ordinal))
            {
                if (_process.HasExited) throw new InvalidOperationException($"run.sh exited with {_process.ExitCode}:\n{Output}");
                if (DateTime.UtcNow > deadline) throw new TimeoutException("run.sh printed no banner in time:\n" + Output);
                await Task.Delay(250);
            }
        }

        /// <summary>What Ctrl+C in the terminal sends to the script.</summary>
        public void Interrupt()
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("run.sh did not end in time:\n" + Output);
            }
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}

[CollectionDefinition(nameof(RunScriptTests), DisableParallelization = true)]
public sealed class RunScriptCollection;
