using System.Text.RegularExpressions;
using Rectify.Infrastructure;
using Rectify.Tests.Support;

namespace Rectify.Tests.Errors;

/// <summary>One catalogue of problem types: the code's (ProblemTypes) and the integrator's (docs/errors.md) are the same list.</summary>
public sealed class CatalogueTests
{
    private static readonly string Docs = File.ReadAllText(Path.Combine(Checkout.Root(), "docs", "errors.md"));

    [Fact]
    public void Docs_errors_md_lists_exactly_the_catalogue()
    {
        // Each entry is a heading "### `name`" in docs/errors.md.
        var documented = Regex.Matches(Docs, @"^### `([a-z-]+)`", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(ProblemTypes.All.Select(t => t.Name).Order(), documented.Order());
    }

    [Fact]
    public void Docs_give_each_entry_its_uri_statuses_and_an_example_body()
    {
        foreach (var type in ProblemTypes.All)
        {
            var section = Section(type.Name);
            foreach (var status in type.Statuses) Assert.Contains(status.ToString(), section);
            Assert.Contains($"\"type\": \"{type.Uri}\"", section);
        }
    }

    [Fact]
    public void Names_are_unique_and_every_status_maps_to_an_entry_that_takes_it()
    {
        Assert.Equal(ProblemTypes.All.Count, ProblemTypes.All.Select(t => t.Uri).Distinct().Count());
        foreach (var status in new[] { 400, 401, 403, 404, 405, 406, 408, 409, 411, 412, 413, 414, 415, 422, 429, 431, 500, 502, 503 })
        {
            var type = ProblemTypes.ForStatus(status);
            Assert.Contains(type, ProblemTypes.All);
            if (status is not (502)) Assert.Contains(status, type.Statuses);
        }
    }

    [Fact]
    public void No_problem_uri_is_written_outside_the_catalogue()
    {
        var source = Path.Combine(Checkout.Root(), "src", "Rectify");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Generated{Path.DirectorySeparatorChar}") && !f.EndsWith("ProblemTypes.cs"))
            .Where(f => File.ReadAllText(f).Contains("rectify.invalid/problems"))
            .Select(f => Path.GetRelativePath(source, f))
            .ToList();
        Assert.Empty(offenders);
    }

    private static string Section(string name)
    {
        var start = Docs.IndexOf($"### `{name}`", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/errors.md has no section for {name}");
        var end = Docs.IndexOf("\n### ", start + 4, StringComparison.Ordinal);
        return end < 0 ? Docs[start..] : Docs[start..end];
    }
}
