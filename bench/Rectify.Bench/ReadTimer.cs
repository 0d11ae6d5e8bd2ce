using System.Diagnostics;
using System.Net.Http.Headers;
using Npgsql;

namespace Rectify.Bench;

/// <summary>One request (or query) at a time, after one unmeasured warm-up: the latency a single reader sees.</summary>
public static class ReadTimer
{
    public static async Task<int> RunHttpAsync(Options options)
    {
        using var http = new HttpClient { BaseAddress = new Uri(options.Get("base")), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Get("key"));
        var path = options.Get("path");
        return await Time(options.Int("requests", 20), async () =>
        {
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        });
    }

    public static async Task<int> RunSqlAsync(Options options)
    {
        await using var data = NpgsqlDataSource.Create(options.Get("connection"));
        var query = options.Get("query");
        return await Time(options.Int("requests", 20), async () =>
        {
            await using var command = data.CreateCommand(query);
            command.CommandTimeout = 600;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        });
    }

    private static async Task<int> Time(int requests, Func<Task> once)
    {
        await once();
        var ticks = new List<long>(requests);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await once();
            ticks.Add(Stopwatch.GetTimestamp() - start);
        }
        return Timings.Report(ticks, 0, total.Elapsed);
    }
}
