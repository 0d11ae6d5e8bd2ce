using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Rectify.Bench;

/// <summary>
/// A closed-loop load generator: N workers, each sending its next request as soon as the last one is answered, for a
/// fixed time after a warm-up. collect posts a new issue; resolve settles, on the spot, one issue collected earlier
/// (ids from --ids-in), so that every request is a valid act on its own issue.
/// </summary>
public static class LoadDriver
{
    public const string CollectBody =
        """{"townId":"qicun","address":"齐村镇 1 号","categoryId":"infrastructure","description":"路面塌陷，雨天积水","channel":"visit","visitorId":"v-bench"}""";
    // Version 1: the issue as collected, the version a client read (Rectify checks it; the baseline stores it).
    private const string ResolveBody = """{"version":1,"outcome":"当场协调解决，居民满意"}""";

    public static async Task<int> RunAsync(Options options)
    {
        var command = options.Get("command");
        var concurrency = options.Int("concurrency", 8);
        var measured = TimeSpan.FromSeconds(options.Double("seconds", 10));
        var warmup = TimeSpan.FromSeconds(options.Double("warmup", 2));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(options.Get("base")),
            Timeout = TimeSpan.FromMinutes(2)
        };
        if (options.Find("key") is { } key) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var ids = new ConcurrentQueue<string>(options.Find("ids-in") is { } idsIn ? File.ReadAllLines(idsIn).Where(l => l.Length > 0) : []);
        if (command == "resolve" && ids.IsEmpty) throw new ArgumentException("resolve needs --ids-in with collected issue ids");
        var created = new ConcurrentBag<string>();

        async Task<bool?> Send()
        {
            HttpResponseMessage response;
            if (command == "collect")
                response = await http.PostAsync("/api/v1/issues", new StringContent(CollectBody, Encoding.UTF8, "application/json"));
            else if (ids.TryDequeue(out var id))
                response = await http.PostAsync($"/api/v1/issues/{id}/resolve-on-spot", new StringContent(ResolveBody, Encoding.UTF8, "application/json"));
            else return null;   // no issue left to settle
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    if (Interlocked.Increment(ref _errorsShown) <= 3)
                        Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    return false;
                }
                if (command == "collect")
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    created.Add(json.RootElement.GetProperty("id").GetString()!);
                }
                return true;
            }
        }

        var warmupEnd = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = warmupEnd + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var errors = 0;
        var lastAnswer = 0L;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (true)
            {
                var start = Stopwatch.GetTimestamp();
                if (start >= end) break;
                var ok = await Send();
                if (ok is null) break;
                var stop = Stopwatch.GetTimestamp();
                if (start < warmupEnd) continue;
                if (ok == true) mine.Add(stop - start); else Interlocked.Increment(ref errors);
                InterlockedMax(ref lastAnswer, stop);
            }
            return mine;
        })).ToList();
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).ToList();

        if (options.Find("ids-out") is { } idsOut) await File.AppendAllLinesAsync(idsOut, created);
        // Measured until the last answer: a run cut short by running out of issues is not counted as idle time.
        var elapsed = TimeSpan.FromSeconds(Math.Max(lastAnswer - warmupEnd, 1) / (double)Stopwatch.Frequency);
        return Timings.Report(all, errors, elapsed, new { command, concurrency });
    }

    private static int _errorsShown;

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
