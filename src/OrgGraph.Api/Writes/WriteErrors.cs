using GraphQL;
using OrgGraph.Api.GraphQL;

namespace OrgGraph.Api.Writes;

/// <summary>Client-visible codes (<c>extensions.code</c>) of a refused write, besides INVALID_ARGUMENT and NOT_FOUND.</summary>
internal static class AuthErrorCodes
{
    /// <summary>No API key was sent.</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>An API key was sent but it is not one of the configured keys.</summary>
    public const string InvalidApiKey = "INVALID_API_KEY";

    /// <summary>The server has no API keys configured, so writes are disabled.</summary>
    public const string NotConfigured = "AUTH_NOT_CONFIGURED";

    /// <summary>Another process (an import) held the store for longer than a write waits (Storage:Sqlite:BusyTimeout).</summary>
    public const string StoreBusy = "STORE_BUSY";
}

/// <summary>A write refused for want of a valid API key. The message never repeats what was sent.</summary>
internal sealed class AuthError : ExecutionError
{
    private AuthError(string code, string message) : base(message) => Code = code;

    public static AuthError Unauthenticated() => new(AuthErrorCodes.Unauthenticated,
        $"Writes need an API key: send it as 'Authorization: Bearer <key>' or '{ApiKeyAuthenticator.ApiKeyHeader}: <key>'. Nothing was written.");

    public static AuthError InvalidKey() => new(AuthErrorCodes.InvalidApiKey, "The API key is not valid. Nothing was written.");

    public static AuthError NotConfigured() => new(AuthErrorCodes.NotConfigured,
        "Writes are disabled: this server has no API keys configured (Auth:ApiKeys). Nothing was written.");
}

/// <summary>
/// A write refused because of its input (INVALID_ARGUMENT, NOT_FOUND, LIMIT_EXCEEDED); <c>extensions.field</c> names the
/// offending field (e.g. <c>input.validTo</c>).
/// </summary>
internal sealed class WriteInputError : ExecutionError
{
    private WriteInputError(string code, string field, string message) : base(message)
    {
        Code = code;
        Field = field;
        Extensions = new Dictionary<string, object?> { ["field"] = field };
    }

    public string Field { get; }

    public static WriteInputError Invalid(string field, string reason) =>
        new(ErrorCodes.InvalidArgument, field, $"Argument '{field}' {reason} Nothing was written.");

    public static WriteInputError Limit(string field, string reason) =>
        new(ErrorCodes.LimitExceeded, field, $"Argument '{field}' {reason} Nothing was written.");

    public static WriteInputError NotFound(string field, string what) =>
        new(ErrorCodes.NotFound, field, $"Argument '{field}': {what} Nothing was written.");
}

/// <summary>A write refused because the store stayed locked by another writer (an import) for longer than writes wait.</summary>
internal sealed class StoreBusyError : ExecutionError
{
    private StoreBusyError(string message) : base(message) => Code = AuthErrorCodes.StoreBusy;

    public static StoreBusyError Instance() =>
        new("The store is being written by another process (an import) and was not free in time. Nothing was written; try again when that import has finished.");
}
