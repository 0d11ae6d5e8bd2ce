using Rectify.Identity;
using Rectify.Issues;
using Rectify.Issues.ErasingPersonalData;
using Rectify.PersonalData;
using Rectify.ReferenceData;

namespace Rectify.Tests.PersonalData;

/// <summary>The masks, who sees personal data as recorded, and the erasure decision: pure functions, no database.</summary>
public sealed class PersonalDataMaskTests
{
    [Theory]
    [InlineData("王秀英", "王**")]
    [InlineData("李明", "李**")]
    [InlineData("欧阳娜娜", "欧**")]
    [InlineData(" 张三 ", "张**")]
    [InlineData("𠀋大", "𠀋**")]
    [InlineData("", "**")]
    public void A_name_keeps_its_first_character(string name, string masked) => Assert.Equal(masked, PersonalDataMasks.Name(name));

    [Theory]
    [InlineData("13800001234", "138****1234")]
    [InlineData("138 0000 1234", "138****1234")]
    [InlineData("+86-138-0000-1234", "861****1234")]
    [InlineData("0632-3312345", "063****2345")]
    [InlineData("12345678", "123****5678")]
    [InlineData("1234567", "****")]
    [InlineData("110", "****")]
    public void A_phone_keeps_its_first_three_and_last_four_digits(string phone, string masked) =>
        Assert.Equal(masked, PersonalDataMasks.Phone(phone));

    [Theory]
    [InlineData("齐村镇齐村 3 号", "齐村镇齐村****")]
    [InlineData("光明路街道文化小区3-1-101", "光明路街道文化小区****")]
    [InlineData("12号楼", "****")]
    public void An_address_keeps_the_place_and_hides_the_numbers(string address, string masked) =>
        Assert.Equal(masked, PersonalDataMasks.Address(address));

    [Fact]
    public void Nothing_recorded_stays_nothing()
    {
        Assert.Null(PersonalDataMasks.Name(null));
        Assert.Null(PersonalDataMasks.Phone(null));
        Assert.Null(PersonalDataMasks.Address(null));
    }

    private static readonly Issue HeldByHousing = new()
    {
        Id = Guid.NewGuid(), TownId = "qicun", UnitId = "housing", UnitKind = UnitKind.Department, Status = IssueStatus.InProgress
    };

    private static readonly Issue HeldByQicunOffice = HeldByHousing with { UnitId = "qicun-governance", UnitKind = UnitKind.TownOffice };

    [Theory]
    [InlineData(Role.Admin, null, null, true)]
    [InlineData(Role.DistrictSupervisor, null, null, true)]
    [InlineData(Role.TownOffice, "qicun", null, true)]
    [InlineData(Role.TownLeader, "qicun", null, true)]
    [InlineData(Role.Visitor, "qicun", null, true)]
    [InlineData(Role.Department, null, "housing", true)]
    [InlineData(Role.TownOffice, "mengzhuang", null, false)]
    [InlineData(Role.TownLeader, "mengzhuang", null, false)]
    [InlineData(Role.Visitor, "mengzhuang", null, false)]
    [InlineData(Role.Department, null, "transport", false)]
    [InlineData(Role.Auditor, null, null, false)]
    [InlineData(Role.ExternalSystem, null, null, false)]
    public void Those_who_need_it_see_it_as_recorded(Role role, string? town, string? department, bool unmasked) =>
        Assert.Equal(unmasked, PersonalDataAccess.SeesUnmasked(new Actor("c", role, town, department), HeldByHousing));

    [Fact]
    public void A_department_that_does_not_hold_the_issue_sees_it_masked()
    {
        Assert.False(PersonalDataAccess.SeesUnmasked(new Actor("housing", Role.Department, null, "housing"), HeldByQicunOffice));
        // A department id that happens to equal a town office's id is still not the holder.
        Assert.False(PersonalDataAccess.SeesUnmasked(new Actor("x", Role.Department, null, "qicun-governance"), HeldByQicunOffice));
    }

    private static readonly ResidentContact Contact = new() { Name = "王秀英", Phone = "13800001234" };

    [Fact]
    public void Shown_as_recorded_masked_or_erased()
    {
        Assert.Equal(new ResidentData("王秀英", "13800001234", false, false), PersonalDataAccess.Shown(Contact, erased: false, unmasked: true));
        Assert.Equal(new ResidentData("王**", "138****1234", true, false), PersonalDataAccess.Shown(Contact, erased: false, unmasked: false));
        Assert.Equal(new ResidentData(null, null, false, true), PersonalDataAccess.Shown(null, erased: true, unmasked: true));
        Assert.Equal(new ResidentData(null, null, false, true), PersonalDataAccess.Shown(Contact, erased: true, unmasked: true));
        Assert.Equal(ResidentData.None, PersonalDataAccess.Shown(null, erased: false, unmasked: true));
    }

    [Fact]
    public void Only_data_handed_over_as_recorded_is_a_disclosure()
    {
        Assert.True(PersonalDataAccess.Shown(Contact, false, true).Disclosed);
        Assert.False(PersonalDataAccess.Shown(Contact, false, false).Disclosed);
        Assert.False(PersonalDataAccess.Shown(Contact, true, true).Disclosed);
        Assert.False(PersonalDataAccess.Shown(null, false, true).Disclosed);
    }

    [Fact]
    public void The_address_is_masked_only_where_the_setting_says_so()
    {
        Assert.Equal("齐村镇齐村 3 号", PersonalDataAccess.Address("齐村镇齐村 3 号", unmasked: false, new PersonalDataOptions()));
        Assert.Equal("齐村镇齐村****", PersonalDataAccess.Address("齐村镇齐村 3 号", unmasked: false, new PersonalDataOptions { MaskAddress = true }));
        Assert.Equal("齐村镇齐村 3 号", PersonalDataAccess.Address("齐村镇齐村 3 号", unmasked: true, new PersonalDataOptions { MaskAddress = true }));
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly Actor Admin = new("admin", Role.Admin, null, null);

    [Fact]
    public void Given_an_issue_when_erased_then_an_event_says_when_by_whom_and_why_and_nothing_else_changes()
    {
        var issue = HeldByHousing with { Version = 4, LastActAt = Now.AddDays(-1) };
        var (erased, refusal) = new ErasePersonalData("居民书面申请删除 (2026-12-01)").Decide(issue, Admin, Now);

        Assert.Null(refusal);
        Assert.Equal(new IssuePersonalDataErased(issue.Id, "居民书面申请删除 (2026-12-01)", Admin, Now), erased);
        var next = Issue.Next(issue, erased!);
        Assert.True(next.PersonalDataErased);
        Assert.Equal(issue with { PersonalDataErased = true, Version = 5 }, next);
    }

    [Fact]
    public void Given_an_erased_issue_when_erased_again_then_refused()
    {
        var (erased, refusal) = new ErasePersonalData("again").Decide(HeldByHousing with { PersonalDataErased = true }, Admin, Now);
        Assert.Null(erased);
        Assert.Contains("already been erased", refusal);
    }

    [Theory]
    [InlineData(Role.Admin, true)]
    [InlineData(Role.DistrictSupervisor, false)]
    [InlineData(Role.Auditor, false)]
    [InlineData(Role.TownOffice, false)]
    public void Only_an_admin_erases(Role role, bool allowed) =>
        Assert.Equal(allowed, ErasePersonalData.Forbidden(new Actor("c", role, null, null)) is null);

    [Fact]
    public void The_erasure_has_a_stable_stored_name() =>
        Assert.Equal("issue_personal_data_erased.v1", IssueEventNames.All[typeof(IssuePersonalDataErased)]);
}
