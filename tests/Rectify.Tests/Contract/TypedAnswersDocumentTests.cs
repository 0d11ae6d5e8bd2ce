using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Contract;

/// <summary>
/// The API document states, on each endpoint of the calendar, key management, reference data, ledgers, statistics,
/// reports, inbox, supervision and health, its answer's schema (fields, types, formats, enums), a summary, a tag, the
/// export media types and every problem answer as ProblemDetails: declared by the endpoints, not patched by route.
/// </summary>
public sealed class TypedAnswersDocumentTests(AppFixture app) : ApiTest(app)
{
    private const string Problem = "application/problem+json";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly (string Path, string Method, string Tag)[] Operations =
    [
        ("/api/v1/calendar/{year}", "get", "Calendar"), ("/api/v1/calendar/{year}", "put", "Calendar"), ("/api/v1/calendar/{year}/history", "get", "Calendar"),
        ("/api/v1/clients", "get", "Clients"), ("/api/v1/clients", "post", "Clients"), ("/api/v1/clients/{name}", "get", "Clients"),
        ("/api/v1/clients/{name}/rotate", "post", "Clients"), ("/api/v1/clients/{name}/revoke", "post", "Clients"),
        ("/api/v1/clients/{name}/history", "get", "Clients"),
        ("/api/v1/towns", "get", "Reference data"), ("/api/v1/departments", "get", "Reference data"), ("/api/v1/departments", "post", "Reference data"),
        ("/api/v1/categories", "get", "Reference data"), ("/api/v1/routing-rules", "get", "Reference data"), ("/api/v1/routing-rules", "post", "Reference data"),
        ("/api/v1/routing-rules/{ruleId}/change", "post", "Reference data"), ("/api/v1/routing-rules/{ruleId}/end", "post", "Reference data"),
        ("/api/v1/reference-data/history", "get", "Reference data"), ("/api/v1/towns/{townId}/communities", "post", "Reference data"),
        ("/api/v1/communities/{communityId}/grids", "post", "Reference data"), ("/api/v1/grids/{gridId}/households", "post", "Reference data"),
        ("/api/v1/grids/{gridId}/households", "get", "Reference data"), ("/api/v1/grids/{gridId}/households/import", "post", "Reference data"),
        ("/api/v1/towns/{townId}/rename", "post", "Reference data"), ("/api/v1/towns/{townId}/history", "get", "Reference data"),
        ("/api/v1/units/{unitId}/rename", "post", "Reference data"), ("/api/v1/categories/{categoryId}/lead", "post", "Reference data"),
        ("/api/v1/ledgers/visitors/{visitorId}/{date}", "get", "Ledgers"), ("/api/v1/ledgers/towns/{townId}/{date}", "get", "Ledgers"),
        ("/api/v1/ledgers/towns/{townId}", "get", "Ledgers"), ("/api/v1/ledgers/departments/{departmentId}", "get", "Ledgers"),
        ("/api/v1/ledgers/domains/{categoryId}", "get", "Ledgers"),
        ("/api/v1/statistics", "get", "Figures"), ("/api/v1/statistics/rankings", "get", "Figures"), ("/api/v1/reports/bulletin", "get", "Figures"),
        ("/api/v1/units/{unitId}/inbox", "get", "Inboxes and supervision"), ("/api/v1/units/{unitId}/notices", "get", "Inboxes and supervision"),
        ("/api/v1/supervision/notices", "get", "Inboxes and supervision"), ("/api/v1/supervision/overdue", "get", "Inboxes and supervision"), ("/health", "get", "Health")
    ];

    private async Task<JsonElement> Document() => (await Get("/openapi/v1.json", null, 200)).Json;

    private static JsonElement Operation(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    /// <summary>The schema of a response body, resolved through $ref to the component.</summary>
    private static JsonElement Schema(JsonElement document, string path, string method, string status, string mediaType = "application/json")
    {
        var schema = Operation(document, path, method).GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty(mediaType).GetProperty("schema");
        return Resolve(document, schema);
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    /// <summary>The item schema of an array, also of a nullable one (written as oneOf null or the array).</summary>
    private static JsonElement Items(JsonElement schema) =>
        schema.TryGetProperty("items", out var items) ? items
        : schema.GetProperty("oneOf").EnumerateArray().First(s => s.TryGetProperty("items", out _)).GetProperty("items");

    private static string[] Required(JsonElement schema) => schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).ToArray();

    private static JsonElement Property(JsonElement schema, string name) => schema.GetProperty("properties").GetProperty(name);

    [Fact]
    public async Task Every_operation_of_these_areas_has_a_summary_a_tag_a_typed_success_and_problem_details_for_its_errors()
    {
        var document = await Document();
        foreach (var (path, method, tag) in Operations)
        {
            var operation = Operation(document, path, method);
            var summary = operation.GetProperty("summary").GetString();
            Assert.False(string.IsNullOrWhiteSpace(summary) || summary == operation.GetProperty("operationId").GetString(), $"{method} {path}: summary");
            Assert.Equal([tag], operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            var success = Assert.Single(responses, r => r.Name is "200" or "201");
            Assert.True(success.Value.GetProperty("content").EnumerateObject().Any(), $"{method} {path}: no success body");
            foreach (var error in responses.Where(r => r.Name.StartsWith('4')))
            {
                var content = Assert.Single(error.Value.GetProperty("content").EnumerateObject());
                Assert.Equal(Problem, content.Name);
                // A 400 names its bad fields: the validation form of the problem (HttpValidationProblemDetails).
                Assert.Equal(error.Name == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails",
                    content.Value.GetProperty("schema").GetProperty("$ref").GetString());
            }
            // Only health and the reference lists are read without a key.
            var anonymous = path == "/health" || method == "get" && path is "/api/v1/towns" or "/api/v1/departments" or "/api/v1/categories" or "/api/v1/routing-rules";
            Assert.Equal(!anonymous, responses.Any(r => r.Name == "401"));
        }
    }

    [Fact]
    public async Task The_calendar_answers_state_their_dates_and_the_provisional_mark()
    {
        var document = await Document();
        var year = Schema(document, "/api/v1/calendar/{year}", "get", "200");
        Assert.Contains("provisional", Required(year));
        Assert.Equal("boolean", Property(year, "provisional").GetProperty("type").GetString());
        Assert.Equal("date", Property(year, "daysOff").GetProperty("items").GetProperty("format").GetString());

        var change = Schema(document, "/api/v1/calendar/{year}", "put", "200");
        Assert.Equal(["calendar", "changed", "issuesToReplan"], Required(change).Order());
        var history = Schema(document, "/api/v1/calendar/{year}/history", "get", "200");
        Assert.Equal("array", history.GetProperty("type").GetString());
        Assert.Equal("date-time", Property(Resolve(document, history.GetProperty("items")), "occurredAt").GetProperty("format").GetString());
    }

    [Fact]
    public async Task Key_management_states_the_issued_key_and_the_roles_as_an_enum()
    {
        var document = await Document();
        var issued = Schema(document, "/api/v1/clients", "post", "201");
        Assert.Contains("key", Required(issued));
        Assert.Contains("keyId", Required(issued));
        var role = Resolve(document, Property(issued, "role"));
        Assert.Contains("external-system", role.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(issued.GetRawText(), Schema(document, "/api/v1/clients/{name}/rotate", "post", "200").GetRawText());
        Assert.Contains("revokedKeyIds", Required(Schema(document, "/api/v1/clients/{name}/revoke", "post", "200")));
    }

    [Fact]
    public async Task Reference_data_answers_are_records_with_their_fields_named_as_before()
    {
        var document = await Document();
        var town = Resolve(document, Schema(document, "/api/v1/towns", "get", "200").GetProperty("items"));
        Assert.Equal("integer", Property(town, "households").GetProperty("type").EnumerateArray().First().GetString());
        Assert.Contains("communities", Required(town));

        var rule = Schema(document, "/api/v1/routing-rules", "post", "201");
        Assert.Equal(["rule", "versions"], Required(rule).Order());
        var place = Schema(document, "/api/v1/towns/{townId}/rename", "post", "200");
        Assert.Equal(["history", "townId", "versions"], Required(place).Order());
        var version = Resolve(document, Items(Property(place, "versions")));
        Assert.Equal("date", Property(version, "effectiveFrom").GetProperty("format").GetString());
        Assert.Equal(["asOf", "communityId", "generated", "gridId", "households", "listed", "registeredOnSpot", "townId"],
            Required(Schema(document, "/api/v1/grids/{gridId}/households/import", "post", "200")).Order());
        Assert.True(Operation(document, "/api/v1/grids/{gridId}/households/import", "post").GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
    }

    [Fact]
    public async Task Ledgers_and_statistics_state_their_json_and_the_spreadsheet_types_and_the_bulletin_its_markdown_and_html()
    {
        var document = await Document();
        foreach (var (path, body) in new[]
                 {
                     ("/api/v1/ledgers/visitors/{visitorId}/{date}", "VisitorLedger"), ("/api/v1/ledgers/towns/{townId}", "LedgerPage"),
                     ("/api/v1/ledgers/departments/{departmentId}", "DepartmentLedger"), ("/api/v1/statistics", "CampaignFigures"),
                     ("/api/v1/statistics/rankings", "Rankings")
                 })
        {
            var content = Operation(document, path, "get").GetProperty("responses").GetProperty("200").GetProperty("content");
            Assert.Equal($"#/components/schemas/{body}", content.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
            Assert.Equal("binary", content.GetProperty("text/csv").GetProperty("schema").GetProperty("format").GetString());
            Assert.Equal("binary", content.GetProperty(Xlsx).GetProperty("schema").GetProperty("format").GetString());
        }
        var bulletin = Operation(document, "/api/v1/reports/bulletin", "get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal(["text/html", "text/markdown"], bulletin.EnumerateObject().Select(c => c.Name).Order());
    }

    [Fact]
    public async Task Health_states_both_of_its_answers()
    {
        var document = await Document();
        Assert.Equal(["status", "warnings"], Required(Schema(document, "/health", "get", "200")).Order());
        Assert.Equal(["reason", "status"], Required(Schema(document, "/health", "get", "503")).Order());
    }
}
