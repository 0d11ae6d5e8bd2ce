using Marten;
using Rectify.ReferenceData;

namespace Rectify.Visits.Coverage;

/// <summary>
/// Households visited at least once that are in today's register of their grid, per grid: so coverage never exceeds
/// 100% (a household dropped from a replaced register no longer counts). Counted in SQL; only a grid whose visited ids
/// are not all generated ids within its generated register has its ids read and checked one by one.
/// </summary>
public static class RegisteredVisits
{
    // Generated ids as HouseholdRegister.GeneratedId writes them: four digits, or more without a leading zero.
    private const string GeneratedForm = "'^([0-9]{4}|[1-9][0-9]{4,8})$'";

    public static async Task<IReadOnlyDictionary<string, int>> PerGrid(IQuerySession session, DistrictReferenceData references,
        DateTimeOffset? asOf, string? townId, CancellationToken cancellation)
    {
        var (where, parameters) = Filter(asOf, townId);
        var rows = await session.QueryAsync<GridVisits>(
            "select jsonb_build_object('gridId', data ->> 'gridId', 'visited', count(*), " +
            $"'generated', count(*) filter (where data ->> 'householdId' ~ {GeneratedForm}), " +
            $"'highest', coalesce(max((data ->> 'householdId')::bigint) filter (where data ->> 'householdId' ~ {GeneratedForm}), 0)) " +
            $"from rectify.mt_doc_visitedhousehold {where} group by data ->> 'gridId'", cancellation, parameters);

        var counts = new Dictionary<string, int>();
        foreach (var row in rows)
        {
            if (references.RegisterOf(row.GridId) is not { } register) continue;
            if (row.Generated == row.Visited && row.Highest <= register.Generated)
            {
                counts[row.GridId] = row.Visited;
                continue;
            }

            var (gridWhere, gridParameters) = Filter(asOf, townId, row.GridId);
            var ids = await session.QueryAsync<string>(
                $"select data ->> 'householdId' from rectify.mt_doc_visitedhousehold {gridWhere}", cancellation, gridParameters);
            counts[row.GridId] = ids.Count(register.Contains);
        }
        return counts;
    }

    private static (string Where, object[] Parameters) Filter(DateTimeOffset? asOf, string? townId, string? gridId = null)
    {
        var conditions = new List<string>();
        var parameters = new List<object>();
        if (asOf is { } moment)
        {
            // Both sides as text cast by PostgreSQL: it rounds the stored 100 ns ticks to microseconds, so a parameter
            // that Npgsql truncated instead would leave out a visit made at the very moment asked for.
            conditions.Add("(data ->> 'firstVisitedAt')::timestamptz <= ?::timestamptz");
            parameters.Add(moment.ToUniversalTime().ToString("O"));
        }
        if (townId is not null)
        {
            conditions.Add("data ->> 'townId' = ?");
            parameters.Add(townId);
        }
        if (gridId is not null)
        {
            conditions.Add("data ->> 'gridId' = ?");
            parameters.Add(gridId);
        }
        return (conditions.Count == 0 ? "" : "where " + string.Join(" and ", conditions), parameters.ToArray());
    }

    private sealed record GridVisits(string GridId, int Visited, int Generated, long Highest);
}
