using Marten;

namespace Rectify.PersonalData;

public static class PersonalDataConfiguration
{
    /// <summary>The access log's table and the indexes its filters use.</summary>
    public static void Configure(StoreOptions options) =>
        options.Schema.For<PersonalDataRead>().Index(r => r.IssueId).Index(r => r.Client).Index(r => r.At);
}
