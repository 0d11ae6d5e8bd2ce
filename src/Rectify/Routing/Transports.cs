using Rectify.ReferenceData;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Rectify.Routing;

/// <summary>
/// Where deliveries travel. By default, two durable local queues inside Rectify (town side, department side),
/// persisted through the Marten outbox. With ConnectionStrings:rabbitmq set, RabbitMQ carries them instead: one
/// queue for the town offices and one queue per department, bound to a topic exchange by department id, so a
/// department's own system can take its queue over. Only configuration changes.
/// </summary>
public static class Transports
{
    public const string TownOfficeQueue = "town-offices";
    public const string DepartmentQueue = "departments";
    public const string DepartmentExchange = "rectify.departments";

    public static string RabbitQueueFor(Department department) => $"rectify.department.{department.Id}";

    public static void Configure(WolverineOptions options, IConfiguration configuration, DistrictReferenceData references)
    {
        var rabbitMq = configuration.GetConnectionString("rabbitmq");
        if (string.IsNullOrWhiteSpace(rabbitMq))
        {
            options.PublishMessage<DeliverToTownOffice>().ToLocalQueue(TownOfficeQueue);
            options.PublishMessage<DeliverToDepartment>().ToLocalQueue(DepartmentQueue);
            return;
        }

        options.Policies.UseDurableOutboxOnAllSendingEndpoints();
        options.Policies.UseDurableInboxOnAllListeners();
        options.UseRabbitMq(new Uri(rabbitMq))
            .AutoProvision()
            .DeclareExchange(DepartmentExchange, exchange =>
            {
                exchange.ExchangeType = ExchangeType.Topic;
                foreach (var department in references.Departments)
                    exchange.BindQueue(RabbitQueueFor(department), department.Id);
            });

        options.PublishMessage<DeliverToTownOffice>().ToRabbitQueue($"rectify.{TownOfficeQueue}");
        options.ListenToRabbitQueue($"rectify.{TownOfficeQueue}");
        options.PublishMessagesToRabbitMqExchange<DeliverToDepartment>(DepartmentExchange, message => message.DepartmentId);
        foreach (var department in references.Departments)
            options.ListenToRabbitQueue(RabbitQueueFor(department));
    }
}
