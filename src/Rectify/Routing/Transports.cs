using Rectify.ReferenceData;
using Rectify.Supervision;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Rectify.Routing;

/// <summary>
/// Where deliveries travel. By default, two durable local queues inside Rectify (town side, department side),
/// persisted through the Marten outbox. With ConnectionStrings:rabbitmq set, RabbitMQ carries them instead: one
/// queue for the town offices and one queue per department, bound to a topic exchange by department id, so a
/// department's own system can take its queue over. Only configuration changes. Supervision notices (督办) travel
/// the same ways to the town and department sides; the district supervisor's stay on a local durable queue, as
/// nobody outside Rectify takes them.
/// </summary>
public static class Transports
{
    public const string TownOfficeQueue = "town-offices";
    public const string DepartmentQueue = "departments";
    public const string DistrictQueue = "district";

    public static void Configure(WolverineOptions options, IConfiguration configuration, DistrictReferenceData references)
    {
        options.PublishMessage<NoticeToDistrict>().ToLocalQueue(DistrictQueue);
        var rabbitMq = configuration.GetConnectionString("rabbitmq");
        if (string.IsNullOrWhiteSpace(rabbitMq))
        {
            options.PublishMessage<DeliverToTownOffice>().ToLocalQueue(TownOfficeQueue);
            options.PublishMessage<NoticeToTown>().ToLocalQueue(TownOfficeQueue);
            options.PublishMessage<DeliverToDepartment>().ToLocalQueue(DepartmentQueue);
            options.PublishMessage<NoticeToDepartment>().ToLocalQueue(DepartmentQueue);
            return;
        }

        var routing = configuration.GetSection(RoutingOptions.Section).Get<RoutingOptions>() ?? new RoutingOptions();
        var names = new RabbitMqNames(routing.RabbitMqPrefix);
        options.Policies.UseDurableOutboxOnAllSendingEndpoints();
        options.Policies.UseDurableInboxOnAllListeners();
        options.UseRabbitMq(new Uri(rabbitMq))
            .AutoProvision()
            .DeclareExchange(names.DepartmentExchange, exchange =>
            {
                exchange.ExchangeType = ExchangeType.Topic;
                foreach (var department in references.Departments)
                    exchange.BindQueue(names.DepartmentQueue(department.Id), department.Id);
            });

        options.PublishMessage<DeliverToTownOffice>().ToRabbitQueue(names.TownOfficeQueue);
        options.PublishMessage<NoticeToTown>().ToRabbitQueue(names.TownOfficeQueue);
        options.ListenToRabbitQueue(names.TownOfficeQueue);
        options.PublishMessagesToRabbitMqExchange<DeliverToDepartment>(names.DepartmentExchange, message => message.DepartmentId);
        options.PublishMessagesToRabbitMqExchange<NoticeToDepartment>(names.DepartmentExchange, message => message.Notice.RecipientId);
        foreach (var department in references.Departments.Where(d => !routing.ExternalDepartments.Contains(d.Id)))
            options.ListenToRabbitQueue(names.DepartmentQueue(department.Id));
    }
}

/// <summary>The RabbitMQ names other systems code against.</summary>
public sealed record RabbitMqNames(string Prefix)
{
    public string TownOfficeQueue => $"{Prefix}.{Transports.TownOfficeQueue}";
    public string DepartmentExchange => $"{Prefix}.departments";
    public string DepartmentQueue(string departmentId) => $"{Prefix}.department.{departmentId}";
}
