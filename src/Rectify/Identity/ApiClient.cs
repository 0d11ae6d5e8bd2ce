using System.Security.Cryptography;
using System.Text;

namespace Rectify.Identity;

public enum Role
{
    Visitor, TownOffice, Department, DistrictSupervisor, Auditor, Admin,
    /// <summary>A town's leadership: decides its town's extensions and reviews closures.</summary>
    TownLeader,
    /// <summary>A registered system that may call only the routes listed on its client.</summary>
    ExternalSystem,
    /// <summary>Rectify itself, for acts no person does (a delivery into a unit's inbox). Never a client's role.</summary>
    System
}

/// <summary>
/// A system or person allowed to call the API. Only the SHA-256 of the key is stored: keys are
/// 256-bit random values, so a fast hash is enough and a lookup by hash is a primary-key read.
/// </summary>
public sealed class ApiClient
{
    /// <summary>Hex SHA-256 of the key.</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public Role Role { get; set; }
    /// <summary>The town a visitor or town office acts for.</summary>
    public string? TownId { get; set; }
    /// <summary>The department a department client acts for.</summary>
    public string? DepartmentId { get; set; }
    /// <summary>For an external system: the routes it may call ("POST /api/v1/issues"), and no others.</summary>
    public List<string> AllowedRoutes { get; set; } = [];
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>Set when the key was rotated: it keeps working until then, for the grace period the admin chose.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>When the key last authenticated a request, to the minute (written at most once a minute).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>A short, public handle of the key (the start of its hash), for lists and the audit record.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public string KeyId => Id.Length > 12 ? Id[..12] : Id;

    public bool WorksAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);

    public const string KeyPrefix = "rk_";

    public static string NewKey() =>
        KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public Actor ToActor() => new(Name, Role, TownId, DepartmentId);
}

/// <summary>Who did something, as recorded in every event; always taken from the caller's key.</summary>
public sealed record Actor(string ClientName, Role Role, string? TownId, string? DepartmentId)
{
    /// <summary>The actor of Rectify's own acts, such as recording a delivery into a unit's inbox.</summary>
    public static readonly Actor Rectify = new("rectify", Role.System, null, null);

    [System.Text.Json.Serialization.JsonIgnore] public bool IsAdmin => Role == Role.Admin;
    /// <summary>District supervisors, and admins who may do everything.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public bool IsSupervisor => Role is Role.DistrictSupervisor or Role.Admin;
}
