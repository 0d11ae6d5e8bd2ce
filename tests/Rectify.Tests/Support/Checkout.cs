using System.Diagnostics;

namespace Rectify.Tests.Support;

/// <summary>The repository the tests were built from, for the tests that run its ops/ scripts.</summary>
public static class Checkout
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rectify.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Rectify.sln not found above the test folder.");
    }

    /// <summary>Runs a program to its end (ten minutes at most: a hang, not a slow machine): its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEnd(string program, IEnumerable<string> arguments, Action<ProcessStartInfo>? configure = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        configure?.Invoke(info);

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Deletes a scratch folder; the private cluster's files belong to the postgres user, and a leftover temp folder is harmless.</summary>
    public static void DeleteScratch(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
