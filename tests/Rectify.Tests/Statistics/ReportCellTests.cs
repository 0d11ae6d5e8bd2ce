using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using MiniExcelLibs;
using Rectify.Querying;
using Rectify.Statistics;
using Rectify.Tests.Support;

namespace Rectify.Tests.Statistics;

/// <summary>
/// Reports a spreadsheet can compute with: typed XLSX cells (numbers, dates, rates as percent), the scope of a filtered
/// export in its name and its sheet, and rates rounded half up to one decimal everywhere.
/// </summary>
public sealed class ReportCellTests(AppFixture app) : ApiTest(app)
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly DateTimeOffset June1 = new(2022, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(138, 160, "86.3")] // 86.25: half up, not to even
    [InlineData(1, 3, "33.3")]
    [InlineData(2, 3, "66.7")]
    [InlineData(1, 1, "100.0")]
    [InlineData(0, 7, "0.0")]
    [InlineData(1, 8, "12.5")] // 12.5 exactly: one decimal as it is
    [InlineData(1, 16, "6.3")] // 6.25
    public void A_rate_is_a_percentage_rounded_half_up_to_one_decimal(int part, int whole, string expected)
    {
        Assert.Equal(expected, Rates.Percent(part, whole).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, IssueFigures.Rate(part, whole)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Three issues in Qicun, one of them closed on time with a satisfied resident: rates 33.3 and 100.0.</summary>
    private async Task ThreeIssuesOneClosed()
    {
        App.Clock.Set(June1.AddDays(10));
        var closed = await Collect(b => { b["collectedAt"] = June1.ToString("O"); b["description"] = "=HYPERLINK(\"http://x\")"; });
        await Post($"/api/v1/issues/{closed}/assign", new { version = 1, measures = "m", responsibleOffice = "o", responsiblePerson = "p", occurredAt = June1.AddHours(1).ToString("O") }, "qicun-office", 200);
        await Post($"/api/v1/issues/{closed}/accept", new { version = 2, occurredAt = June1.AddHours(2).ToString("O") }, "qicun-office", 200);
        await Post($"/api/v1/issues/{closed}/resolve", new { version = 3, outcome = "已修复", occurredAt = June1.AddHours(3).ToString("O") }, "qicun-office", 200);
        await Post($"/api/v1/issues/{closed}/feedback", new { version = 4, satisfaction = "satisfied", occurredAt = June1.AddHours(4).ToString("O") }, "qicun-visitor", 200);
        await Post($"/api/v1/issues/{closed}/close", new { version = 5, occurredAt = June1.AddHours(5).ToString("O") }, "qicun-leader", 200);
        await Collect(b => b["collectedAt"] = June1.AddHours(6).ToString("O"));
        await Collect(b => b["collectedAt"] = June1.AddHours(7).ToString("O"));
    }

    private async Task<(byte[] Body, string? FileName)> Download(string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader("Authorization", $"Bearer {App.Keys["auditor"]}");
            s.StatusCodeShouldBe(200);
        });
        using var memory = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(memory);
        var disposition = result.Context.Response.Headers.ContentDisposition.ToString();
        return (memory.ToArray(), System.Net.Http.Headers.ContentDispositionHeaderValue.Parse(disposition).FileName?.Trim('"'));
    }

    /// <summary>The cells of a sheet's XML, by their header, row by row: (type attribute, style's number format, value).</summary>
    private static List<Dictionary<string, (string? Type, string? Format, string Value)>> Cells(byte[] workbook, int sheet)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook));
        XDocument Part(string path) => XDocument.Load(zip.GetEntry(path)!.Open());
        var styles = Part("xl/styles.xml");
        var custom = styles.Descendants(Main + "numFmt").ToDictionary(f => (string)f.Attribute("numFmtId")!, f => (string)f.Attribute("formatCode")!);
        var xfs = styles.Root!.Element(Main + "cellXfs")!.Elements(Main + "xf").Select(x => (string)x.Attribute("numFmtId")!).ToList();
        string? FormatOf(XElement c) => c.Attribute("s") is { } s && xfs[int.Parse(s.Value)] is var id && id != "0"
            ? custom.GetValueOrDefault(id, $"builtin:{id}") : null;
        var rows = Part($"xl/worksheets/sheet{sheet}.xml").Descendants(Main + "row")
            .Select(r => r.Elements(Main + "c").Select(c => ((string?)c.Attribute("t"), FormatOf(c), c.Value)).ToList()).ToList();
        var header = rows[0].Select(c => c.Item3).ToList();
        return rows.Skip(1).Select(r => header.Select((h, i) => (h, r[i])).ToDictionary(x => x.h, x => x.Item2)).ToList();
    }

    [Fact]
    public async Task Xlsx_cells_are_typed_numbers_dates_and_percent_rates_and_text_is_written_exactly()
    {
        await ThreeIssuesOneClosed();

        var (ledger, _) = await Download("/api/v1/ledgers/towns/qicun?format=xlsx");
        var rows = Cells(ledger, 1);
        var first = rows[0];
        Assert.Null(first["收集时间"].Type); // a number: the date serial
        Assert.Equal("yyyy-mm-dd hh:mm", first["收集时间"].Format);
        Assert.Equal(new DateTime(2022, 6, 1, 9, 0, 0).ToOADate(), double.Parse(first["收集时间"].Value, System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal(("yyyy-mm-dd", new DateTime(2022, 6, 1).ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (first["办结日期"].Format, first["办结日期"].Value));
        // The formula guard is for CSV: a workbook's text cell is text, written exactly.
        Assert.Equal(("str", "=HYPERLINK(\"http://x\")"), (first["问题描述"].Type, first["问题描述"].Value));
        var totals = Cells(ledger, 2).Single();
        Assert.Equal(("n", "3"), (totals["收集问题"].Type, totals["收集问题"].Value));
        Assert.Equal(("n", "1"), (totals["已办结"].Type, totals["已办结"].Value));

        // Read back as a spreadsheet program would: numbers sum, dates are dates.
        var read = MiniExcel.Query(new MemoryStream(ledger), useHeaderRow: true, sheetName: "合计").Cast<IDictionary<string, object>>().Single();
        Assert.Equal(3d, Convert.ToDouble(read["收集问题"]));
        Assert.IsType<DateTime>(MiniExcel.Query(new MemoryStream(ledger), useHeaderRow: true).Cast<IDictionary<string, object>>().First()["收集时间"]);

        var (rankings, _) = await Download("/api/v1/statistics/rankings?asOf=2022-06-30&format=xlsx");
        var qicun = Cells(rankings, 1).Single(r => r["编码"].Value == "qicun");
        Assert.Equal((null, "0.0%"), (qicun["办结率(%)"].Type, qicun["办结率(%)"].Format));
        Assert.Equal(0.333m, decimal.Parse(qicun["办结率(%)"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1m, decimal.Parse(qicun["按时办结率(%)"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(("n", "3"), (qicun["台账问题"].Type, qicun["台账问题"].Value));

        var csv = Encoding.UTF8.GetString((await Download("/api/v1/statistics/rankings?asOf=2022-06-30&format=csv")).Body[3..]);
        Assert.Contains("qicun,齐村镇,3,1,100.0%,33.3%,100.0%,", csv);
    }

    [Fact]
    public async Task A_statistics_export_for_one_town_names_its_scope_in_the_file_name_and_the_sheet()
    {
        await ThreeIssuesOneClosed();

        var (town, townFile) = await Download("/api/v1/statistics?asOf=2022-06-30&townId=qicun&format=xlsx");
        Assert.Equal("statistics-qicun-2022-06-30.xlsx", townFile);
        var figures = Cells(town, 1).ToDictionary(r => r["指标"].Value);
        Assert.Equal("齐村镇", figures["统计范围"]["数值"].Value);
        Assert.Equal(("n", "3"), (figures["台账问题诉求(个)"]["数值"].Type, figures["台账问题诉求(个)"]["数值"].Value));
        Assert.Equal(("0.0%", "0.333"), (figures["办结率(%)"]["比率"].Format, figures["办结率(%)"]["比率"].Value));
        Assert.Null(figures["统计截至"]["数值"].Type); // a date cell, not text

        var (_, wholeFile) = await Download("/api/v1/statistics?asOf=2022-06-30&format=xlsx");
        Assert.Equal("statistics-2022-06-30.xlsx", wholeFile);
        var (csv, csvFile) = await Download("/api/v1/statistics?asOf=2022-06-30&townId=qicun&departmentId=housing&format=csv");
        Assert.Equal("statistics-qicun-housing-2022-06-30.csv", csvFile);
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n");
        Assert.Equal(("指标,数值,比率", "统计范围,齐村镇 区住房和城乡建设局,"), (lines[0], lines[1]));
    }

    [Fact]
    public async Task Rates_are_numbers_with_one_decimal_in_json_and_carry_a_percent_sign_in_reports()
    {
        await ThreeIssuesOneClosed();

        var json = (await Get("/api/v1/statistics?asOf=2022-06-30&townId=qicun", "auditor", 200)).Text;
        Assert.Contains("\"resolutionRate\":33.3,", json);
        Assert.Contains("\"onTimeRate\":100.0,", json);
        Assert.Contains("\"satisfactionRate\":100.0,", json); // knownAt follows
        var coverage = (await Get("/api/v1/coverage?townId=qicun", "auditor", 200)).Text;
        Assert.StartsWith("{\"households\":16737,\"visited\":0,\"rate\":0.0,", coverage);

        var bulletin = (await Get("/api/v1/reports/bulletin?asOf=2022-06-30", "auditor", 200)).Text;
        Assert.Contains("按时办结率100.0%，办结率33.3%，群众满意率100.0%", bulletin);
        var csv = Encoding.UTF8.GetString((await Download("/api/v1/statistics?asOf=2022-06-30&townId=qicun&format=csv")).Body[3..]);
        Assert.Contains("办结率(%),,33.3%", csv);
    }
}
