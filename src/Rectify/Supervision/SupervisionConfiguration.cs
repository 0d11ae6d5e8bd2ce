using Marten;

namespace Rectify.Supervision;

/// <summary>The supervision notices (督办) sent to units and offices.</summary>
public static class SupervisionConfiguration
{
    public static void Configure(StoreOptions options) =>
        options.Schema.For<NoticeEntry>().Index(n => n.RecipientId);
}
