using Marten;
using Rectify.Tests.Support;

namespace Rectify.Tests.Audit;

/// <summary>A projection skips nothing silently: the daemon's defaults would dead-letter a bad event and carry on.</summary>
public sealed class ProjectionErrorSettingsTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public void Neither_the_daemon_nor_a_rebuild_skips_apply_serialization_or_unknown_event_errors()
    {
        var options = ((StoreOptions)Store.Options).Projections;
        foreach (var errors in new[] { options.Errors, options.RebuildErrors })
        {
            Assert.False(errors.SkipApplyErrors);
            Assert.False(errors.SkipSerializationErrors);
            Assert.False(errors.SkipUnknownEvents);
        }
    }
}
