using System.Diagnostics;

namespace Skyport.ResilienceTests.Harness;

/// <summary>
/// A .NET app run as a process of its own (<c>dotnet app.dll</c>), so that a test can kill it with SIGKILL. Its output is
/// appended to a log file, one section per start, for diagnosing a failed run.
/// </summary>
public sealed class ChildProcess(string name, string dll, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logFile)
    : IDisposable
{
    private readonly Lock _logLock = new();
    private Process? _process;
    private int _starts;

    public string LogFile => logFile;

    public bool IsRunning => _process is { HasExited: false };

    public TimeSpan LastStartTime { get; private set; }

    /// <summary>Starts the app and waits until <paramref name="readyUrl"/> answers a success (bounded by <paramref name="timeout"/>).</summary>
    public async Task StartAsync(string readyUrl, TimeSpan timeout)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{name} is running already.");
        }
        var started = Stopwatch.StartNew();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        Append($"==== start {++_starts} of {name} at {DateTimeOffset.UtcNow:O}");
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (started.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} while starting; see {logFile}.");
            }
            try
            {
                if ((await http.GetAsync(readyUrl)).IsSuccessStatusCode)
                {
                    LastStartTime = started.Elapsed;
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(50);
        }
        Kill();
        throw new TimeoutException($"{name} did not answer {readyUrl} within {timeout}; see {logFile}.");
    }

    /// <summary>SIGKILL: no shutdown, nothing flushed, exactly as a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // exited already
        }
        Append($"==== killed {name} at {DateTimeOffset.UtcNow:O}");
        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            File.AppendAllText(logFile, line + Environment.NewLine);
        }
    }
}
