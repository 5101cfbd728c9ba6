using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace OrgGraph.Api.Writes;

/// <summary>Who is writing: the id of the API key that authenticated the request (never the key itself).</summary>
internal sealed record Writer(string KeyId);

/// <summary>
/// Checks the API key of a request against the configured ones (<see cref="AuthOptions"/>). The key comes from
/// <c>X-Api-Key</c> or <c>Authorization: Bearer</c>. Comparison is of SHA-256 hashes with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, against every configured key without stopping at a match,
/// so neither the time taken nor the length of a key tells an attacker anything.
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly (string Id, byte[] Hash)[] _keys;

    public ApiKeyAuthenticator(IOptions<AuthOptions> options) =>
        _keys = [.. options.Value.ApiKeys.Select(k => (k.Id, SHA256.HashData(Encoding.UTF8.GetBytes(k.Key))))];

    /// <summary>The writer the request authenticates as; throws an <see cref="AuthError"/> (nothing written) otherwise.</summary>
    public Writer Authenticate(HttpRequest? request)
    {
        if (_keys.Length == 0)
        {
            throw AuthError.NotConfigured();
        }

        var presented = PresentedKey(request);
        if (presented is null)
        {
            throw AuthError.Unauthenticated();
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var (id, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = id;
            }
        }

        return match is null ? throw AuthError.InvalidKey() : new Writer(match);
    }

    /// <summary>The key sent with the request, or null when none was. Repeated headers are joined, so they never match.</summary>
    private static string? PresentedKey(HttpRequest? request)
    {
        if (request is null)
        {
            return null;
        }

        if (request.Headers.TryGetValue(ApiKeyHeader, out var apiKey) && !string.IsNullOrWhiteSpace(apiKey.ToString()))
        {
            return apiKey.ToString().Trim();
        }

        foreach (var value in request.Headers[HeaderNames.Authorization])
        {
            if (value is { Length: > 7 } && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value[7..].Trim() is { Length: > 0 } token)
            {
                return token;
            }
        }

        return null;
    }
}
