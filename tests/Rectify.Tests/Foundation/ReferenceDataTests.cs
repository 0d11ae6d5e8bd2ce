using Rectify.Tests.Support;

namespace Rectify.Tests.Foundation;

public sealed class ReferenceDataTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task Towns_are_the_districts_eleven_with_communities_grids_and_households()
    {
        var reply = await Get("/api/v1/towns", client: null, 200);

        var towns = reply.Json.EnumerateArray().ToList();
        Assert.Equal(11, towns.Count);
        var names = towns.Select(t => t.GetProperty("name").GetString()).ToList();
        foreach (var name in new[] { "中心街街道", "垎塔埠街道", "矿区街道", "光明路街道", "文化路街道", "龙山路街道", "税郭镇", "孟庄镇", "齐村镇", "永安镇", "西王庄镇" })
            Assert.Contains(name, names);
        Assert.Equal(186_276, towns.Sum(t => t.GetProperty("households").GetInt32()));
        Assert.All(towns, t => Assert.NotEmpty(t.GetProperty("communities").EnumerateArray()));
        // Chinese is written as characters, not \u escapes.
        Assert.Contains("齐村镇", reply.Text);
    }

    [Fact]
    public async Task Categories_are_seven_of_which_six_satisfaction_domains_each_with_a_lead_department()
    {
        var categories = (await Get("/api/v1/categories", null, 200)).Json.EnumerateArray().ToList();
        var departments = (await Get("/api/v1/departments", null, 200)).Json.EnumerateArray()
            .Select(d => d.GetProperty("id").GetString()).ToHashSet();

        Assert.Equal(["居住环境", "社会治安", "干部作风", "公共服务", "社会保障", "基础设施", "其他"],
            categories.Select(c => c.GetProperty("name").GetString()));
        var domains = categories.Where(c => c.GetProperty("satisfactionDomain").GetBoolean()).ToList();
        Assert.Equal(6, domains.Count);
        Assert.All(domains, c => Assert.Contains(c.GetProperty("leadDepartmentId").GetString(), departments));
        Assert.Equal(6, domains.Select(c => c.GetProperty("leadDepartmentId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Departments_say_which_domain_they_lead()
    {
        var departments = (await Get("/api/v1/departments", null, 200)).Json.EnumerateArray().ToList();

        var housing = departments.Single(d => d.GetProperty("id").GetString() == "housing");
        Assert.Equal(["living-environment"], housing.GetProperty("leadsCategoryIds").EnumerateArray().Select(x => x.GetString()));
    }
}
