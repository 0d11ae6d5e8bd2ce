using Marten;

namespace Rectify.ReferenceData;

public static class ReferenceDataConfiguration
{
    public static void Configure(StoreOptions options)
    {
        foreach (var (type, name) in ReferenceDataEventNames.All) options.Events.MapEventType(type, name);
    }

    /// <summary>DistrictReferenceData is resolved per use from the cache, so a change applies without a restart.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration, string shippedFile)
    {
        services.Configure<ReferenceDataOptions>(configuration.GetSection(ReferenceDataOptions.Section));
        services.PostConfigure<ReferenceDataOptions>(o => o.Path ??= shippedFile);
        services.AddSingleton<ReferenceDataCache>();
        services.AddTransient(sp => sp.GetRequiredService<ReferenceDataCache>().Current);
        services.AddHostedService<ReferenceDataRefresher>();
    }
}
