using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Rectify.Bench;

/// <summary>
/// The bulk-ingest baseline: the rows Rectify's bulk insert wrote (mt_streams and mt_events of the seeded campaign),
/// read into memory first, then written with raw binary COPY into plain tables of the same columns (no indexes, no
/// constraints but NOT NULL). Only the COPY is timed.
/// </summary>
public static class CopyBaseline
{
    public static async Task<int> RunAsync(Options options)
    {
        await using var data = NpgsqlDataSource.Create(options.Get("connection"));
        var schema = options.Get("schema");
        string[] tables = ["mt_streams", "mt_events"];
        var rows = new Dictionary<string, byte[]>();
        await using (var connection = await data.OpenConnectionAsync())
        {
            foreach (var table in tables)
            {
                await using (var create = new NpgsqlCommand($"drop table if exists public.bench_copy_{table}; create table public.bench_copy_{table} (like {schema}.{table})", connection))
                    await create.ExecuteNonQueryAsync();
                using var buffer = new MemoryStream();
                await using (var read = await connection.BeginRawBinaryCopyAsync($"copy {schema}.{table} to stdout (format binary)"))
                    await read.CopyToAsync(buffer);
                rows[table] = buffer.ToArray();
            }
        }

        long copied = 0;
        var watch = Stopwatch.StartNew();
        await using (var connection = await data.OpenConnectionAsync())
        {
            foreach (var table in tables)
            {
                await using (var write = await connection.BeginRawBinaryCopyAsync($"copy public.bench_copy_{table} from stdin (format binary)"))
                    await write.WriteAsync(rows[table]);
            }
        }
        var elapsed = watch.Elapsed;
        await using (var count = data.CreateCommand("select count(*) from public.bench_copy_mt_events"))
            copied = (long)(await count.ExecuteScalarAsync())!;

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            events = copied,
            seconds = Math.Round(elapsed.TotalSeconds, 3),
            eventsPerSecond = Math.Round(copied / elapsed.TotalSeconds),
            megabytes = Math.Round(rows.Values.Sum(r => r.LongLength) / 1048576.0, 1)
        }));
        await using (var drop = data.CreateCommand("drop table public.bench_copy_mt_streams, public.bench_copy_mt_events"))
            await drop.ExecuteNonQueryAsync();
        return 0;
    }
}
