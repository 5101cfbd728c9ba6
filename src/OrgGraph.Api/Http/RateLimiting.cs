using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrgGraph.Api.Http;

/// <summary>Per-client rate limit of <c>/graphql</c> (section <c>RateLimit</c>): a token bucket per client.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Whether <c>/graphql</c> is rate limited. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests a client may make per second, sustained (tokens added each second). Default 20.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 20;

    /// <summary>Requests a client may make at once after being idle (the bucket's size). Default 100.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;
}

/// <summary>
/// Limits each client of <c>/graphql</c> with ASP.NET Core's rate limiter. A client is its API key when the request
/// carries one the server knows (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>, checked against
/// <c>Auth:ApiKeys</c>), else its remote IP address (or one shared partition when there is none). An unknown key
/// counts against the IP, so inventing keys earns no extra requests. A refused request gets 429 with
/// <c>Retry-After</c> and a GraphQL error with the code <c>RATE_LIMITED</c>. Health checks and static files are not limited.
/// </summary>
internal static class RateLimiting
{
    public const string Code = "RATE_LIMITED";

    public static IServiceCollection AddGraphQLRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new KnownApiKeys(sp.GetRequiredService<IConfiguration>().GetSection("Auth:ApiKeys")));
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (!options.Enabled || !http.Request.Path.StartsWithSegments("/graphql", StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                return RateLimitPartition.GetTokenBucketLimiter(PartitionKey(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = WriteRejectionAsync;
        });
        return services;
    }

    /// <summary>The client a request counts against: a known API key (hashed; the key itself is never kept), else the remote IP.</summary>
    internal static string PartitionKey(HttpContext http)
    {
        if (PresentedKey(http.Request) is { } key && http.RequestServices.GetRequiredService<KnownApiKeys>().Contains(key, out var hash))
        {
            return "key:" + hash;
        }

        return http.Connection.RemoteIpAddress is { } ip ? "ip:" + ip : "ip:unknown";
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers["X-Api-Key"].FirstOrDefault() is { Length: > 0 } header)
        {
            return header.Trim();
        }

        var authorization = request.Headers.Authorization.FirstOrDefault();
        return authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.ContentType = GraphQLHttpEndpoint.Json + "; charset=utf-8";
        var body = new
        {
            errors = new[]
            {
                new
                {
                    message = $"Too many requests from this client; retry after {seconds} s.",
                    extensions = new { code = Code },
                },
            },
        };
        await JsonSerializer.SerializeAsync(response.Body, body, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The API keys of <c>Auth:ApiKeys</c> (each entry's <c>Key</c>; see Writes/AuthOptions.cs), as SHA-256 hashes.
    /// Used only to tell a known key from an invented one when partitioning; authentication is the writes' own.
    /// </summary>
    internal sealed class KnownApiKeys
    {
        private readonly HashSet<string> _hashes;

        public KnownApiKeys(IConfigurationSection section) =>
            _hashes = section.GetChildren()
                .Select(entry => entry["Key"])
                .Where(key => !string.IsNullOrWhiteSpace(key))
                .Select(key => Hash(key!.Trim()))
                .ToHashSet(StringComparer.Ordinal);

        public bool Contains(string key, out string hash)
        {
            hash = Hash(key);
            return _hashes.Contains(hash);
        }

        private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
