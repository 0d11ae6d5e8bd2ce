using Alba;
using Microsoft.AspNetCore.Hosting;
using Rectify.Supervision;

namespace Rectify.Tests.Supervision;

/// <summary>Supervision settings are checked at start-up, and the error names the setting to fix.</summary>
public sealed class SupervisionOptionsTests
{
    [Theory]
    [InlineData(nameof(SupervisionOptions.AcceptanceWorkingDays))]
    [InlineData(nameof(SupervisionOptions.AssignmentWorkingDays))]
    [InlineData(nameof(SupervisionOptions.ReassignmentWorkingDays))]
    [InlineData(nameof(SupervisionOptions.FeedbackWorkingDays))]
    [InlineData(nameof(SupervisionOptions.SecondNoticeWorkingDays))]
    public void Each_working_day_count_must_be_at_least_one(string setting)
    {
        foreach (var value in new[] { 0, -1 })
        {
            var options = new SupervisionOptions();
            typeof(SupervisionOptions).GetProperty(setting)!.SetValue(options, value);

            var error = Assert.Throws<InvalidOperationException>(() => SupervisionOptions.Checked(options));

            Assert.Contains($"Supervision:{setting} must be", error.Message);
            Assert.Single(options.Problems());
        }
        Assert.Empty(new SupervisionOptions { AcceptanceWorkingDays = 1, FeedbackWorkingDays = 1, SecondNoticeWorkingDays = 1, AssignmentWorkingDays = 1, ReassignmentWorkingDays = 1 }.Problems());
    }

    [Fact]
    public async Task The_service_refuses_to_start_with_a_bad_setting_and_names_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var host = await AlbaHost.For<Program>(x => x.UseSetting("Supervision:FeedbackWorkingDays", "0"));
        });

        Assert.Contains("Supervision:FeedbackWorkingDays must be", error.Message);
    }
}
