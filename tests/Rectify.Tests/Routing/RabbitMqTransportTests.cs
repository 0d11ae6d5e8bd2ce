using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using Rectify.Identity;
using Rectify.ReferenceData;
using Rectify.Routing;
using Rectify.Issues;
using Rectify.Supervision;
using Rectify.Tests.Support;
using Wolverine;
using Wolverine.Tracking;

namespace Rectify.Tests.Routing;

/// <summary>
/// The same service with only configuration changed: deliveries travel over a real RabbitMQ broker
/// (ops/test provides it), a queue per department bound to a topic exchange.
/// </summary>
public sealed class RabbitMqTransportTests : IAsyncLifetime
{
    private readonly string _prefix = $"rectify-test-{Guid.NewGuid():N}"[..28];
    private readonly string _rabbitMq = Environment.GetEnvironmentVariable("RECTIFY_TEST_RABBITMQ")
        ?? throw new InvalidOperationException("The transport tests need RabbitMQ: run them with ops/test, which provides RECTIFY_TEST_RABBITMQ.");
    private readonly string _adminKey = ApiClient.NewKey();
    private readonly string _housingKey = ApiClient.NewKey();
    private IAlbaHost _host = null!;

    public async Task InitializeAsync()
    {
        var database = await TestDatabases.Create("rectify_test_mq");
        _host = await AlbaHost.For<Program>(x =>
        {
            x.UseSetting("ConnectionStrings:marten", database);
            x.UseSetting("ConnectionStrings:rabbitmq", _rabbitMq);
            x.UseSetting("Routing:RabbitMqPrefix", _prefix);
            x.UseSetting("Routing:ExternalDepartments:0", "transport");
            x.ConfigureServices(s =>
            {
                s.RunWolverineInSoloMode();
                Rectify.Tests.Keys.CapturedLogs.AddTo(s);
            });
        });
        var store = _host.DocumentStore();
        await _host.ResetAllMartenDataAsync();
        await using var session = store.LightweightSession();
        session.Store(new ApiClient { Id = ApiClient.Hash(_adminKey), Name = "admin", Role = Role.Admin, RegisteredAt = DateTimeOffset.UtcNow });
        session.Store(new ApiClient { Id = ApiClient.Hash(_housingKey), Name = "housing", Role = Role.Department, DepartmentId = "housing", RegisteredAt = DateTimeOffset.UtcNow });
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task An_escalation_travels_through_the_departments_rabbitmq_queue_into_its_inbox()
    {
        var created = await _host.Scenario(s =>
        {
            s.Post.Json(new { townId = "qicun", address = "齐村 1 号", categoryId = "infrastructure", description = "桥梁护栏损坏", channel = "visit", visitorId = "v-1" }).ToUrl("/api/v1/issues");
            s.WithRequestHeader("Authorization", $"Bearer {_adminKey}");
            s.StatusCodeShouldBe(201);
        });
        var id = (await created.ReadAsJsonAsync<IdOnly>())!.Id;

        var tracked = await _host.TrackActivity().IncludeExternalTransports().Timeout(TimeSpan.FromMinutes(3))
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(_ => _host.Scenario(s =>
            {
                s.Post.Json(new { version = 1, departmentId = "housing", reason = "需区住建局处理" }).ToUrl($"/api/v1/issues/{id}/escalate");
                s.WithRequestHeader("Authorization", $"Bearer {_adminKey}");
                s.StatusCodeShouldBe(200);
            })));

        var sent = tracked.Sent.Envelopes().Single(e => e.Message is DeliverToDepartment);
        Assert.Equal("rabbitmq", sent.Destination!.Scheme);
        Assert.Contains($"{_prefix}.departments", sent.Destination.ToString());
        var received = tracked.Received.Envelopes().Single(e => e.Message is DeliverToDepartment);
        Assert.Contains(new RabbitMqNames(_prefix).DepartmentQueue("housing"), received.Destination!.ToString());

        await using var query = _host.DocumentStore().QuerySession();
        Assert.Equal(id, (await query.Query<InboxEntry>().SingleAsync(e => e.UnitId == "housing")).IssueId);
    }

    [Fact]
    public async Task Supervision_notices_travel_the_department_and_town_queues_to_their_recipients()
    {
        var notice = new SupervisionNotice(Guid.NewGuid(), "qicun", "housing", "infrastructure", SupervisionClock.Acceptance, Guid.NewGuid(), 1,
            new DateOnly(2022, 6, 14), "housing", NoticeSide.Department, DateTimeOffset.UtcNow);
        var names = new RabbitMqNames(_prefix);

        var toDepartment = await _host.TrackActivity().IncludeExternalTransports().Timeout(TimeSpan.FromMinutes(3))
            .SendMessageAndWaitAsync(Notices.Message(notice));
        var toTown = await _host.TrackActivity().IncludeExternalTransports().Timeout(TimeSpan.FromMinutes(3))
            .SendMessageAndWaitAsync(Notices.Message(notice with { RecipientId = "qicun", Side = NoticeSide.Town }));

        Assert.Contains(names.DepartmentQueue("housing"), toDepartment.Received.Envelopes().Single(e => e.Message is NoticeToDepartment).Destination!.ToString());
        Assert.Contains(names.TownOfficeQueue, toTown.Received.Envelopes().Single(e => e.Message is NoticeToTown).Destination!.ToString());
        await using var query = _host.DocumentStore().QuerySession();
        Assert.Equal(["housing", "qicun"], (await query.Query<NoticeEntry>().ToListAsync()).Select(n => n.RecipientId).Order());
    }

    [Fact]
    public void Rectify_does_not_listen_to_the_queue_of_a_department_whose_own_system_consumes_it()
    {
        var listeners = _host.GetRuntime().Endpoints.ActiveListeners().Select(l => l.Uri.ToString()).ToList();
        var names = new RabbitMqNames(_prefix);

        Assert.Contains(listeners, l => l.Contains(names.DepartmentQueue("housing")));
        Assert.DoesNotContain(listeners, l => l.Contains(names.DepartmentQueue("transport")));
        Assert.Contains(listeners, l => l.Contains(names.TownOfficeQueue));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        var names = new RabbitMqNames(_prefix);
        var references = DistrictReferenceData.Load(Path.Combine(AppContext.BaseDirectory, "ReferenceData", DistrictReferenceData.FileName));
        await using var connection = await new ConnectionFactory { Uri = new Uri(_rabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var department in references.Departments) await channel.QueueDeleteAsync(names.DepartmentQueue(department.Id));
        await channel.QueueDeleteAsync(names.TownOfficeQueue);
        await channel.ExchangeDeleteAsync(names.DepartmentExchange);
    }

    private sealed record IdOnly(Guid Id);
}
