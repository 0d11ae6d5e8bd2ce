using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Rectify.Infrastructure.Requests;
using JasperFx.CommandLine;
using Marten;
using Rectify.Identity;
using Rectify.Infrastructure;
using Wolverine;
using Wolverine.Runtime;

namespace Rectify.Calendar;

public class EnterHolidayNoticeInput : NetCoreInput
{
    [Description("The year the notice is for, e.g. 2027")]
    public string Year { get; set; } = "";

    [Description("JSON file shaped like the body of PUT /api/v1/calendar/{year}: daysOff, workdays, notice, reason")]
    [FlagAlias("file", 'f')]
    public string FileFlag { get; set; } = "";

    [Description("Who enters it, recorded as the actor of the change (default: the OS user)")]
    [FlagAlias("by")]
    public string? ByFlag { get; set; }
}

[Description("Enters or changes a year's holiday notice from a JSON file and re-plans the running deadlines it moves", Name = "enter-holiday-notice")]
public class EnterHolidayNoticeCommand : JasperFxAsyncCommand<EnterHolidayNoticeInput>
{
    public EnterHolidayNoticeCommand()
    {
        Usage("Enter a year's notice").Arguments(x => x.Year);
    }

    public override async Task<bool> Execute(EnterHolidayNoticeInput input)
    {
        if (!File.Exists(input.FileFlag))
        {
            Console.Error.WriteLine($"No notice file at '{input.FileFlag}' (give it with --file).");
            return false;
        }

        using var host = input.BuildHost();
        // Only the messaging runtime is started (no web server): the change and its re-planning messages are
        // committed together through the outbox, and this process re-plans before it stops.
        var runtime = (IHostedService)host.Services.GetRequiredService<IWolverineRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        try
        {
            var actor = new Actor($"ops/cli:{input.ByFlag ?? Environment.UserName}", Role.Admin, null, null);
            var (result, errors) = await HolidayNotice.EnterAsync(host.Services, input.Year, await File.ReadAllTextAsync(input.FileFlag), actor);
            if (result is null)
            {
                foreach (var (field, reasons) in errors) Console.Error.WriteLine($"{field}: {string.Join(" ", reasons)}");
                return false;
            }

            var year = result.Calendar;
            Console.WriteLine(result.Changed
                ? $"Calendar {year.Year} is now version {year.Version}: {year.DaysOff.Count} days off, {year.Workdays.Count} make-up working days, " +
                  $"notice {(year.Notice ?? "none (provisional)")}; {result.IssuesToReplan} open issues re-planned."
                : $"Calendar {year.Year} already reads so (version {year.Version}): nothing changed.");
            if (result.IssuesToReplan > 0) await HolidayNotice.WaitForReplanningAsync(host.Services, TimeSpan.FromMinutes(5));
            return true;
        }
        finally
        {
            await runtime.StopAsync(CancellationToken.None);
        }
    }
}

/// <summary>Entering a notice from a file: the same reading and change as the PUT, sent through Wolverine.</summary>
public static class HolidayNotice
{
    public static async Task<(CalendarChangeResult? Result, IReadOnlyDictionary<string, string[]> Errors)> EnterAsync(
        IServiceProvider services, string year, string json, Actor actor)
    {
        // Read as the PUT reads its body: the shape first (every value that would not bind named), then the values.
        var options = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var shape = await RequestShape.ReadAsync(JsonRequest(json), options.GetTypeInfo(typeof(CalendarYearRequest)), CancellationToken.None);
        var request = shape.Cleaned.Deserialize<CalendarYearRequest>(options) ?? new CalendarYearRequest();
        var check = new RequestCheck(shape.Errors);
        var command = ChangeCalendarYear.Read(year, request, check);
        if (command is null) return (null, check.Errors);
        using var scope = services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<CalendarChangeResult>(new EnterCalendarYear(command, actor));
        return (result, check.Errors);
    }

    /// <summary>Waits (up to a limit) until no message waits in the store, so the re-planning is done when the command ends.</summary>
    public static async Task WaitForReplanningAsync(IServiceProvider services, TimeSpan limit)
    {
        var admin = services.GetRequiredService<IWolverineRuntime>().Storage.Admin;
        var until = DateTimeOffset.UtcNow + limit;
        while (DateTimeOffset.UtcNow < until && (await admin.FetchCountsAsync()).Incoming > 0)
            await Task.Delay(TimeSpan.FromMilliseconds(250));
    }

    private static HttpRequest JsonRequest(string json)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        return context.Request;
    }
}

/// <summary>A calendar change given through the messaging runtime (the command line), by whom.</summary>
public sealed record EnterCalendarYear(ChangeCalendarYear Change, Actor Actor);

public static class EnterCalendarYearHandler
{
    public static Task<(CalendarChangeResult, OutgoingMessages)> Handle(EnterCalendarYear message, IDocumentSession session, LiveCalendar live,
        TimeProvider clock, CancellationToken cancellation) =>
        message.Change.Apply(message.Actor, session, live, clock, cancellation);
}
