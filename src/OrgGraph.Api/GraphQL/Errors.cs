using GraphQL;

namespace OrgGraph.Api.GraphQL;

/// <summary>Client-visible error codes (in <c>extensions.code</c>); dashboards may rely on them.</summary>
internal static class ErrorCodes
{
    public const string NotFound = "NOT_FOUND";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string LimitExceeded = "LIMIT_EXCEEDED";
    public const string Timeout = "TIMEOUT";
}

/// <summary>An error a client caused and can fix, with a stable code.</summary>
internal sealed class ClientError : ExecutionError
{
    private ClientError(string code, string message) : base(message) => Code = code;

    public static ClientError NotFound(string what, string id) =>
        new(ErrorCodes.NotFound, $"No {what} has the id or alias '{id}'.");

    public static ClientError InvalidArgument(string argument, string reason) =>
        new(ErrorCodes.InvalidArgument, $"Argument '{argument}' {reason}");

    public static ClientError LimitExceeded(string argument, int value, int limit) =>
        new(ErrorCodes.LimitExceeded, $"Argument '{argument}' is {value}; the limit is {limit}.");

    public static ClientError Limit(string message) => new(ErrorCodes.LimitExceeded, message);

    public static ClientError Timeout(TimeSpan limit) =>
        new(ErrorCodes.Timeout, $"The query did not finish within the {limit.TotalSeconds:0.#} s limit and was cancelled.");
}
