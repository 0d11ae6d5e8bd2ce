using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Issues;
using Rectify.Infrastructure;
using Rectify.ReferenceData;
using Rectify.Routing;
using Rectify.Supervision;
using Rectify.Ledgers;
using Rectify.Visits;
using Rectify.Visits.WechatGroups;
using Serilog;
using Weasel.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Http.Marten;
using Wolverine.Marten;

var builder = WebApplication.CreateBuilder(args);

builder.Host.UseSerilog((context, services, logging) => Logging.Configure(logging, context.Configuration, sinks =>
{
    sinks.Console(outputTemplate: Logging.ConsoleTemplate);
    // Sinks registered as services (tests capture log events this way).
    foreach (var sink in services.GetServices<Serilog.Core.ILogEventSink>()) sinks.Sink(sink);
}));

var connectionString = builder.Configuration.GetConnectionString("marten");
if (string.IsNullOrWhiteSpace(connectionString))
    throw new InvalidOperationException(
        "No database: set the environment variable ConnectionStrings__marten (ops/run does this for you with a private PostgreSQL).");

var contentRoot = AppContext.BaseDirectory;
var referenceDataFile = builder.Configuration["ReferenceData:Path"] ?? Path.Combine(contentRoot, "ReferenceData", DistrictReferenceData.FileName);
// The shipped file is checked at start-up and imported once; afterwards the reference-data stream is the source.
var references = DistrictReferenceData.Load(referenceDataFile);
ReferenceDataConfiguration.AddServices(builder.Services, builder.Configuration, referenceDataFile);
builder.Services.AddSingleton<TimeProvider>(new MicrosecondClock(TimeProvider.System));
builder.Services.AddSingleton<IssueCommandRunner>();
builder.Services.Configure<RoutingOptions>(builder.Configuration.GetSection(RoutingOptions.Section));
builder.Services.Configure<SupervisionOptions>(builder.Configuration.GetSection(SupervisionOptions.Section));
builder.Services.Configure<Rectify.PersonalData.PersonalDataOptions>(builder.Configuration.GetSection(Rectify.PersonalData.PersonalDataOptions.Section));
// Checked before anything starts, so that a bad setting is a start-up error naming it, not odd deadlines later.
SupervisionOptions.Checked(builder.Configuration.GetSection(SupervisionOptions.Section).Get<SupervisionOptions>() ?? new SupervisionOptions());
Rectify.Issues.Extending.ExtensionOptions.Register(builder.Services, builder.Configuration);

var marten = builder.Services.AddMarten(options =>
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = "rectify";
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        // Production schemas change only through `resources setup` / db-apply / db-patch, never at run time.
        options.AutoCreateSchemaObjects = builder.Environment.IsProduction() ? AutoCreate.None : AutoCreate.CreateOrUpdate;

        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
        foreach (var (type, name) in IssueEventNames.All.Concat(VisitEventNames.All)) options.Events.MapEventType(type, name);
        IssueEventVersions.Configure(options);
        CalendarConfiguration.Configure(options);
        Rectify.Identity.Keys.ClientsConfiguration.Configure(options);
        Rectify.Audit.EventChainSchema.Configure(options);
        ReferenceDataConfiguration.Configure(options);
        CorrelationIds.Configure(options);
        Rectify.PersonalData.PersonalDataConfiguration.Configure(options);
        Rectify.Audit.AuditIndexes.Configure(options);

        // A projection that cannot apply, read or recognise an event stops and says so: a figure silently built
        // without an event is worse than no figure. Both for the running daemon and for rebuilds.
        foreach (var errors in new[] { options.Projections.Errors, options.Projections.RebuildErrors })
        {
            errors.SkipApplyErrors = false;
            errors.SkipSerializationErrors = false;
            errors.SkipUnknownEvents = false;
        }

        // Inline: updated in the command's transaction. Async: the daemon follows the events a moment behind.
        options.Projections.Snapshot<Issue>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<WechatGroup>(SnapshotLifecycle.Inline);
        options.Projections.Add<IssueSummaryProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<VisitorDayProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<Rectify.Visits.Coverage.VisitedHouseholdProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<Rectify.Statistics.TownDayProjection>(ProjectionLifecycle.Async);

        // Ledger filters; the trigram index serves substring search in descriptions, Chinese included.
        options.Storage.ExtendedSchemaObjects.Add(new Weasel.Postgresql.Extension("pg_trgm"));
        options.Schema.For<IssueSummary>()
            .Index(s => s.State.TownId).Index(s => s.State.UnitId).Index(s => s.State.CategoryId)
            .Index(s => s.CollectedOn)
            .GinIndexJsonData()
            .Index(s => s.Description, index =>
            {
                index.Method = Weasel.Postgresql.Tables.IndexMethod.gin;
                index.Mask = "? gin_trgm_ops";
            });
        options.Schema.For<Issue>().Index(i => i.UnitId);
        options.Schema.For<InboxEntry>().Index(e => e.UnitId).Index(e => e.IssueId);
        options.Schema.For<NoticeEntry>().Index(n => n.RecipientId);
        options.Schema.For<Rectify.Visits.Coverage.VisitedHousehold>().Index(h => h.GridId).Index(h => h.TownId).Index(h => h.FirstVisitedAt);
        options.Schema.For<Rectify.Statistics.TownDay>().Index(d => d.Date);
        options.Schema.For<ApiClient>().Index(c => c.Name);
        options.Schema.For<ResidentContact>().Index(c => c.IssueId);
        options.Schema.For<Rectify.Seeding.CampaignSeeded>();
    })
    .UseLightweightSessions()
    .IntegrateWithWolverine()
    // Hot/cold: with several API nodes on one database, one node runs the async projections, another takes over.
    .AddAsyncDaemon(JasperFx.Events.Daemon.DaemonMode.HotCold);
// Outside production the schema is brought up to date at start-up, before the async daemon starts on it;
// production applies it beforehand (ops/run: resources setup) and runs with AutoCreate.None.
if (!builder.Environment.IsProduction()) marten.ApplyAllDatabaseChangesOnStartup();
// The working-day calendar lives in the store (imported from the shipped file once): docs/reference-data.md.
builder.Services.AddCalendar(builder.Configuration, contentRoot);

builder.Host.UseWolverine(options =>
{
    options.Policies.AutoApplyTransactions();
    options.Policies.UseDurableLocalQueues();
    // The published service loads the handler code committed under Internal/Generated (ops/test regenerates it and
    // fails on a difference, so a new endpoint can never be silently missing); elsewhere code missing from it is
    // compiled on first use.
    options.CodeGeneration.TypeLoadMode = builder.Environment.IsProduction() ? TypeLoadMode.Static : TypeLoadMode.Auto;
    options.UseRuntimeCompilation();
    // DistrictReferenceData comes from the reference-data cache per use (a factory), so it is located, not injected.
    options.ServiceLocationPolicy = JasperFx.CodeGeneration.Model.ServiceLocationPolicy.AlwaysAllowed;

    // 镇街吹哨、部门报到: town-side and department-side handlers each take their deliveries from their own
    // durable queue (persisted with the Marten outbox). RabbitMQ replaces them by configuration (docs/routing.md).
    Transports.Configure(options, builder.Configuration, references);
    // Two deliveries of one routing racing to record it: the retry finds the entry and stores nothing.
    options.Policies.OnException<JasperFx.DocumentAlreadyExistsException>().RetryWithCooldown(
        TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));
    // A supervision check racing a person's command on the same issue: run the check again on the new state.
    options.Policies.OnException<JasperFx.ConcurrencyException>().RetryWithCooldown(
        TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));
    // How often durable scheduled messages (supervision checks) are polled for; tests lower it.
    options.Durability.ScheduledJobPollingTime = builder.Configuration.GetValue("Supervision:PollingInterval", TimeSpan.FromSeconds(5));
});

builder.Services.AddWolverineHttp();
builder.Services.ConfigureHttpJsonOptions(json =>
{
    // People read these answers: Chinese stays as characters, not \u escapes.
    json.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
});

builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
builder.Services.AddAuthorization(options => options.FallbackPolicy =
    new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().Build());
builder.Services.AddRateLimits(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ConcurrencyConflicts>();
builder.Services.AddExceptionHandler<RequestErrors>();
builder.Services.AddOpenApi();
// Typed request and answer records: required fields, descriptions and examples (Infrastructure/Requests).
builder.Services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", o => o.AddSchemaTransformer<Rectify.Infrastructure.Requests.RequestSchemas>()
    .AddOperationTransformer<Rectify.Infrastructure.Requests.RequestBodies>().AddOperationTransformer<Rectify.Infrastructure.Requests.FileAnswers>());
builder.Services.AddExceptionHandler<DatabaseUnavailable>();
Telemetry.Add(builder.Services, builder.Configuration);

var app = builder.Build();
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var warning in HealthEndpoint.Warnings(app.Services.GetRequiredService<WorkingCalendar>(), app.Services.GetRequiredService<TimeProvider>()))
        app.Logger.LogWarning("{Warning}", warning);
});

// Request logging outside the exception handler: a request refused by a handled exception is logged by its
// answer (409, 413), not as a server error with a stack trace.
app.UseCorrelationIds();
// This host's own logger, not the process-wide static one (several hosts in one process: the tests).
app.UseSerilogRequestLogging(options => options.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
app.UseExceptionHandler();
app.UseStatusCodePages(context => Problems.WriteBare(context.HttpContext));
app.UseAuthentication();
app.UseRateLimiter(); // after authentication: the limit is per client
app.UseAuthorization();
// Who may call which route, with which scope: one table (Identity/Access/RouteAccess.cs), enforced here for every endpoint.
app.UseMiddleware<Rectify.Identity.Access.RouteAccessMiddleware>();
app.Use(Rectify.PersonalData.PersonalDataScope.Middleware);
// Typed JSON bodies: every binding error named, the bad values removed, before the framework binds (Infrastructure/Requests).
app.Use(Rectify.Infrastructure.Requests.RequestShape.Middleware);
app.MapOpenApi().AllowAnonymous();
app.MapWolverineEndpoints(options =>
{
    options.MapMartenConcurrencyFailuresToConflict();
    // "?page=abc" is a bad request, not page 0.
    options.RejectUnparseableQueryValues = true;
    options.AddPolicy<CorrelationIdPolicy>();
    options.ConfigureEndpoints(ApiDocument.Describe);
    options.ConfigureEndpoints(Rectify.Identity.Access.GuardedRoute.Mark);
});

return await app.RunJasperFxCommands(args);

public partial class Program;
