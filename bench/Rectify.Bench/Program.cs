using Rectify.Bench;

// ops/bench calls one tool per step; each prints one JSON line that the script turns into the table.
var options = Options.Parse(args.Skip(1));
return args.FirstOrDefault() switch
{
    "serve" => await BaselineServer.RunAsync(options),
    "load" => await LoadDriver.RunAsync(options),
    "read" => await ReadTimer.RunHttpAsync(options),
    "sql" => await ReadTimer.RunSqlAsync(options),
    "copy" => await CopyBaseline.RunAsync(options),
    _ => Usage()
};

static int Usage()
{
    Console.Error.WriteLine("""
        Rectify.Bench serve --urls URL --connection CS            the baseline: one plain INSERT per request
        Rectify.Bench load  --base URL [--key K] --command collect|resolve --concurrency N --seconds S
                            [--warmup S] [--ids-in FILE] [--ids-out FILE]
        Rectify.Bench read  --base URL --key K --path P --requests N
        Rectify.Bench sql   --connection CS --query SQL --requests N
        Rectify.Bench copy  --connection CS --schema S             raw binary COPY of the event rows into plain tables
        """);
    return 2;
}
