using MiniExcelLibs;

namespace Rectify.ReferenceData;

/// <summary>
/// A grid's household register read from CSV (UTF-8, comma-separated, header row) or XLSX (first sheet, header row).
/// Columns: householdId (or 户号) required, address (or 地址) optional; other columns are ignored.
/// </summary>
public static class HouseholdRegisterFile
{
    public const int MaxBytes = 16 * 1024 * 1024;
    private static readonly string[] IdColumns = ["householdid", "household_id", "户号", "门牌号"];
    private static readonly string[] AddressColumns = ["address", "地址"];

    /// <summary>The households, or the problems by line ("line 3: ...").</summary>
    public static (IReadOnlyList<Household> Households, IReadOnlyList<string> Problems) Read(Stream content, bool xlsx)
    {
        var rows = xlsx ? Xlsx(content) : Csv(content);
        var problems = new List<string>();
        var households = new List<Household>();
        if (rows.Count == 0) return ([], ["The file is empty: it needs a header row with householdId (or 户号)."]);

        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        var idColumn = header.FindIndex(h => IdColumns.Contains(h));
        var addressColumn = header.FindIndex(h => AddressColumns.Contains(h));
        if (idColumn < 0) return ([], [$"No householdId column in the header ({string.Join(", ", rows[0])})."]);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.All(string.IsNullOrWhiteSpace)) continue;
            var id = idColumn < row.Count ? row[idColumn].Trim() : "";
            var address = addressColumn >= 0 && addressColumn < row.Count && row[addressColumn].Trim() is { Length: > 0 } a ? a : null;
            if (Household.Problem(id) is { } problem) problems.Add($"line {i + 1}: householdId {problem}");
            else if (address is { Length: > 200 }) problems.Add($"line {i + 1}: address must be at most 200 characters.");
            else if (!seen.Add(id)) problems.Add($"line {i + 1}: householdId '{id}' appears twice.");
            else households.Add(new Household(id, address));
            if (problems.Count >= 20) break;
        }

        if (households.Count > HouseholdRegister.MaxHouseholds) problems.Add($"A grid has at most {HouseholdRegister.MaxHouseholds} households.");
        return (households, problems);
    }

    private static List<List<string>> Xlsx(Stream content)
    {
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        buffer.Position = 0;
        return MiniExcel.Query(buffer, useHeaderRow: false, excelType: ExcelType.XLSX)
            .Select(row => ((IDictionary<string, object?>)row).Values.Select(v => v?.ToString() ?? "").ToList())
            .ToList();
    }

    private static List<List<string>> Csv(Stream content)
    {
        using var reader = new StreamReader(content, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = reader.ReadToEnd();
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                rows.Add(row); row = [];
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }
}
