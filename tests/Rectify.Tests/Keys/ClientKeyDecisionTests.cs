using Rectify.Identity;
using Rectify.Identity.Keys;

namespace Rectify.Tests.Keys;

/// <summary>Given/when/then on the pure key decisions: (command, the client's keys, new hash, who, now) -> event and documents.</summary>
public sealed class ClientKeyDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = new("admin", Role.Admin, null, null);

    private static ApiClient Key(string hash, DateTimeOffset registeredAt, DateTimeOffset? expiresAt = null, DateTimeOffset? revokedAt = null) => new()
    {
        Id = hash, Name = "cityline", Role = Role.ExternalSystem, AllowedRoutes = ["POST /api/v1/issues"],
        RegisteredAt = registeredAt, ExpiresAt = expiresAt, RevokedAt = revokedAt
    };

    private static readonly string OldHash = new('a', 64), NewHash = new('b', 64), OlderHash = new('c', 64);

    [Fact]
    public void Registering_a_new_name_records_the_key_by_its_id_and_stores_one_document()
    {
        var decision = ClientKeys.Register(new RegisterClient("cityline", Role.ExternalSystem, null, null, ["POST /api/v1/issues"]), [], NewHash, Admin, Now);

        var registered = Assert.IsType<ClientRegistered>(decision.Change!.Event);
        Assert.Equal(("cityline", Role.ExternalSystem, "bbbbbbbbbbbb", Admin, Now), (registered.ClientName, registered.Role, registered.KeyId, registered.Actor, registered.OccurredAt));
        Assert.Empty(registered.RevokedKeyIds);
        var key = Assert.Single(decision.Change.Documents);
        Assert.Equal((NewHash, Now, (DateTimeOffset?)null), (key.Id, key.RegisteredAt, key.RevokedAt));
    }

    [Fact]
    public void Registering_a_name_whose_key_works_is_a_conflict_unless_it_replaces_which_revokes_the_old_key()
    {
        IReadOnlyList<ApiClient> keys = [Key(OldHash, Now.AddDays(-3))];

        var refused = ClientKeys.Register(new RegisterClient("cityline", Role.Auditor, null, null, []), keys, NewHash, Admin, Now);
        Assert.Equal(409, refused.Status);
        Assert.Contains("rotate or revoke", refused.Refusal);

        var replaced = ClientKeys.Register(new RegisterClient("cityline", Role.Auditor, null, null, [], Replace: true), keys, NewHash, Admin, Now);
        Assert.Equal(["aaaaaaaaaaaa"], Assert.IsType<ClientRegistered>(replaced.Change!.Event).RevokedKeyIds);
        Assert.Equal(Now, replaced.Change.Documents.Single(d => d.Id == OldHash).RevokedAt);
        Assert.Null(keys[0].RevokedAt); // the stored state given is not changed in place
    }

    [Fact]
    public void Registering_a_revoked_name_again_needs_no_replace()
    {
        var decision = ClientKeys.Register(new RegisterClient("cityline", Role.Auditor, null, null, []),
            [Key(OldHash, Now.AddDays(-3), revokedAt: Now.AddDays(-1))], NewHash, Admin, Now);
        Assert.Single(decision.Change!.Documents);
    }

    [Fact]
    public void Rotating_gives_a_new_key_of_the_same_role_and_routes_and_the_old_key_works_until_the_grace_ends()
    {
        var decision = ClientKeys.Rotate("cityline", 24, [Key(OldHash, Now.AddDays(-3))], NewHash, Admin, Now);

        var rotated = Assert.IsType<ClientKeyRotated>(decision.Change!.Event);
        Assert.Equal((24, Now.AddHours(24), "bbbbbbbbbbbb"), (rotated.GraceHours, rotated.PreviousKeysExpireAt, rotated.KeyId));
        Assert.Equal(["aaaaaaaaaaaa"], rotated.ExpiringKeyIds);
        var old = decision.Change.Documents.Single(d => d.Id == OldHash);
        Assert.True(old.WorksAt(Now.AddHours(24).AddTicks(-1)));
        Assert.False(old.WorksAt(Now.AddHours(24)));
        var issued = decision.Change.Documents.Single(d => d.Id == NewHash);
        Assert.Equal((Role.ExternalSystem, "POST /api/v1/issues", (DateTimeOffset?)null), (issued.Role, issued.AllowedRoutes.Single(), issued.ExpiresAt));
    }

    [Fact]
    public void A_second_rotation_never_lengthens_the_grace_of_a_key_already_expiring()
    {
        IReadOnlyList<ApiClient> keys = [Key(OlderHash, Now.AddDays(-3), expiresAt: Now.AddHours(2)), Key(OldHash, Now.AddHours(-22))];

        var decision = ClientKeys.Rotate("cityline", 48, keys, NewHash, Admin, Now);

        Assert.Equal(Now.AddHours(2), decision.Change!.Documents.Single(d => d.Id == OlderHash).ExpiresAt);
        Assert.Equal(Now.AddHours(48), decision.Change.Documents.Single(d => d.Id == OldHash).ExpiresAt);
    }

    [Fact]
    public void A_grace_of_zero_hours_ends_the_old_key_at_once()
    {
        var decision = ClientKeys.Rotate("cityline", 0, [Key(OldHash, Now.AddDays(-3))], NewHash, Admin, Now);
        Assert.False(decision.Change!.Documents.Single(d => d.Id == OldHash).WorksAt(Now));
    }

    [Fact]
    public void Revoking_stops_every_working_key_those_in_a_grace_period_too()
    {
        IReadOnlyList<ApiClient> keys = [Key(OldHash, Now.AddDays(-3), expiresAt: Now.AddHours(5)), Key(NewHash, Now.AddHours(-1)),
            Key(OlderHash, Now.AddDays(-9), revokedAt: Now.AddDays(-8))];

        var decision = ClientKeys.Revoke("cityline", keys, Admin, Now);

        var revoked = Assert.IsType<ClientRevoked>(decision.Change!.Event);
        Assert.Equal(["aaaaaaaaaaaa", "bbbbbbbbbbbb"], revoked.RevokedKeyIds.Order());
        Assert.All(decision.Change.Documents, d => Assert.False(d.WorksAt(Now)));
        Assert.Equal(2, decision.Change.Documents.Count); // the long-revoked key keeps its own revocation time
    }

    [Fact]
    public void An_unknown_client_is_404_and_a_revoked_one_409_naming_its_state()
    {
        Assert.Equal(404, ClientKeys.Rotate("nobody", 24, [], NewHash, Admin, Now).Status);
        Assert.Equal(404, ClientKeys.Revoke("nobody", [], Admin, Now).Status);

        IReadOnlyList<ApiClient> revoked = [Key(OldHash, Now.AddDays(-3), revokedAt: Now.AddDays(-1))];
        var rotate = ClientKeys.Rotate("cityline", 24, revoked, NewHash, Admin, Now);
        var revoke = ClientKeys.Revoke("cityline", revoked, Admin, Now);
        Assert.Equal((409, 409), (rotate.Status, revoke.Status));
        Assert.Contains("is revoked (since 2026-12-01 09:00:00 UTC)", rotate.Refusal);
        Assert.Null(rotate.Change);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(-30, false)]
    [InlineData(-59, false)]
    [InlineData(-60, true)]
    [InlineData(-3600, true)]
    [InlineData(120, true)] // a clock set back: the stored time is a minute or more away, so it is written again
    public void Last_use_is_written_only_when_the_stored_time_is_a_minute_or_more_away(int? secondsFromNow, bool due) =>
        Assert.Equal(due, KeyUse.IsDue(secondsFromNow is { } s ? Now.AddSeconds(s) : null, Now));
}
