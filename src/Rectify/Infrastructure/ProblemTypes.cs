namespace Rectify.Infrastructure;

/// <summary>One kind of error the API answers with: its stable <c>type</c> URI, the statuses it comes with and when.</summary>
public sealed record ProblemType(string Name, int[] Statuses, string Title, string When)
{
    public string Uri => ProblemTypes.Base + Name;
}

/// <summary>
/// Every problem <c>type</c> the service answers with, in one place: clients branch on these URIs, so they are a
/// contract. docs/errors.md lists exactly these entries (a test compares the two); ProblemWriter gives any problem
/// written without one of them the entry for its status.
/// </summary>
public static class ProblemTypes
{
    public const string Base = "https://rectify.invalid/problems/";

    public static readonly ProblemType Validation = new("validation", [400], "The request has invalid fields.",
        "A body field, a path id or a query value is missing, malformed or out of range; `errors` names each one.");

    public static readonly ProblemType UnreadableRequest = new("unreadable-request", [400, 408], "The request could not be read.",
        "The body ended early or arrived too slowly, before any field could be judged.");

    public static readonly ProblemType Unauthenticated = new("unauthenticated", [401], "A valid API key is required.",
        "No `Authorization: Bearer <api key>`, or a key that is unknown, revoked or past its rotation grace period.");

    public static readonly ProblemType Forbidden = new("forbidden", [403], "This client may not do that.",
        "The caller's role or scope does not cover the route or the issue, or a rule such as the separation of duties refuses it.");

    public static readonly ProblemType NotFound = new("not-found", [404], "Not found.",
        "An unknown route, or an id in the path that names nothing.");

    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", [405], "The route does not take this method.",
        "The route exists, but not with this HTTP method.");

    public static readonly ProblemType NotAcceptable = new("not-acceptable", [406], "The answer cannot be given in a media type the request accepts.",
        "The `Accept` header rules out JSON on a route that answers JSON (exports take `format=` instead).");

    public static readonly ProblemType StaleVersion = new("stale-version", [409, 412], "The issue has changed since you read it.",
        "The `version` in the body (409) or `If-Match` (412) is older than the issue's, or another change was saved first.");

    public static readonly ProblemType VersionAhead = new("version-ahead", [409, 412], "That version of the issue was never stored.",
        "The `version` or `If-Match` is newer than the issue's current version.");

    public static readonly ProblemType InvalidTransition = new("invalid-transition", [409], "The issue's state does not allow this.",
        "The command does not apply in the issue's current status (named in `currentStatus`).");

    public static readonly ProblemType ReferenceDataConflict = new("reference-data-conflict", [409], "The change conflicts with the reference data in effect.",
        "A taken id, a stale rule version, an ended unit or place, a unit still routed to, a community with grids in effect.");

    public static readonly ProblemType ClientState = new("client-state", [409], "The client is not in a state that allows this.",
        "Rotating or revoking an API client that is revoked, or registering a name that is taken.");

    public static readonly ProblemType PersonalDataErased = new("personal-data-erased", [409], "The resident's personal data was already erased.",
        "Erasing personal data a second time.");

    public static readonly ProblemType StoredTimesOutOfOrder = new("stored-times-out-of-order", [409], "The issue's stored times are out of order.",
        "`GET /api/v1/issues/{id}?asOf=` on an issue whose events were stored with times that go backwards.");

    public static readonly ProblemType IdempotencyInFlight = new("idempotency-in-flight", [409], "A request with this Idempotency-Key is still running.",
        "A retry arrived while the first request with the same key and body had not finished. Retry after `Retry-After` seconds.");

    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", [413], "The request body is too large.",
        "The body is over 1 MiB (16 MiB for a household register file).");

    public static readonly ProblemType UriTooLong = new("uri-too-long", [414], "The request URL is too long.",
        "The path and query string together are over 8,192 bytes.");

    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", [415], "The body's media type is not accepted.",
        "The `Content-Type` is not one the route reads.");

    public static readonly ProblemType Unprocessable = new("unprocessable", [422], "The request does not fit this issue.",
        "Well-formed, but not applicable to this issue (e.g. an extension over its limits, a plan identical to the current one); `errors` names the field.");

    public static readonly ProblemType IdempotencyConflict = new("idempotency-conflict", [422], "This Idempotency-Key was used for a different request.",
        "The same key was sent earlier with another method, path, query string or body. Send a new key for a new request.");

    public static readonly ProblemType RateLimited = new("rate-limited", [429], "Too many requests.",
        "The client made more than `RateLimits:PermitsPerMinute` requests this minute. Retry after `Retry-After` seconds.");

    public static readonly ProblemType ClientError = new("client-error", [411, 431], "The request was refused.",
        "Any other refusal of the HTTP layer (not expected from the API's own routes).");

    public static readonly ProblemType ServerError = new("server-error", [500], "Something went wrong on the server.",
        "An unexpected failure; nothing of the request is known to have been stored. Report it with the `traceId`.");

    public static readonly ProblemType Unavailable = new("unavailable", [503], "The database is unavailable.",
        "PostgreSQL cannot be reached; nothing was stored. Retry after `Retry-After` seconds.");

    public static readonly IReadOnlyList<ProblemType> All =
    [
        Validation, UnreadableRequest, Unauthenticated, Forbidden, NotFound, MethodNotAllowed, NotAcceptable, StaleVersion, VersionAhead,
        InvalidTransition, ReferenceDataConflict, ClientState, PersonalDataErased, StoredTimesOutOfOrder, IdempotencyInFlight,
        PayloadTooLarge, UriTooLong, UnsupportedMediaType, Unprocessable, IdempotencyConflict, RateLimited, ClientError,
        ServerError, Unavailable
    ];

    private static readonly Dictionary<string, ProblemType> ByUri = All.ToDictionary(t => t.Uri, StringComparer.Ordinal);

    /// <summary>The catalogue entry with this URI, or null for anything else.</summary>
    public static ProblemType? Find(string? uri) => uri is not null && ByUri.TryGetValue(uri, out var type) ? type : null;

    /// <summary>The entry for an answer that came with a status alone (the framework's, or a problem written without a type).</summary>
    public static ProblemType ForStatus(int status) => status switch
    {
        // A bare 400 names no field: the framework could not read the request.
        400 => UnreadableRequest,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        408 => UnreadableRequest,
        409 => StaleVersion,
        412 => StaleVersion,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        422 => Unprocessable,
        429 => RateLimited,
        503 => Unavailable,
        >= 500 => ServerError,
        _ => ClientError
    };
}
