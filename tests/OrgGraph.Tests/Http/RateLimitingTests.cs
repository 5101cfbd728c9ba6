using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>
/// The per-client rate limit of /graphql (<c>RateLimit</c>): a tiny bucket is emptied and the next request gets 429
/// with Retry-After and a GraphQL-shaped error; clients with a known API key have their own bucket; an invented key
/// does not. TestServer has no remote IP, so every keyless request here shares one partition.
/// </summary>
public sealed class RateLimitingTests : IAsyncLifetime
{
    private const string Key = "rate-limit-test-key-0123456789";
    private const string Query = """{"query":"{ organisation(id: \"QT1\") { id } }"}""";

    private OrgGraphApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = new OrgGraphApp(
            ("RateLimit:Enabled", "true"), ("RateLimit:Burst", "3"), ("RateLimit:PermitsPerSecond", "1"),
            ("Auth:ApiKeys:0:Id", "rate-limit-test"), ("Auth:ApiKeys:0:Key", Key));
        File.Copy(await SeededApp.TemplateAsync(), _app.DatabasePath);
        _client = await _app.ReadyClientAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EmptiedBucket_Gives429WithRetryAfterAndACode_AndHealthIsNotLimited()
    {
        var (ok, refused, first) = await HammerAsync(20, null);

        Assert.InRange(ok, 3, 3 + (int)Math.Ceiling(refused.Elapsed.TotalSeconds) + 1);
        Assert.NotNull(first);
        Assert.Equal(HttpStatusCode.TooManyRequests, first!.Value.Status);
        Assert.True(int.Parse(first.Value.RetryAfter!) >= 1);
        Assert.Equal("RATE_LIMITED", JsonNode.Parse(first.Value.Body)!["errors"]![0]!.Code());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task KnownKey_HasItsOwnBucket_AnInventedKeyDoesNot()
    {
        await HammerAsync(20, null);

        using var known = await SendAsync(("X-Api-Key", Key));
        using var bearer = await SendAsync(("Authorization", "Bearer " + Key));
        using var invented = await SendAsync(("X-Api-Key", "invented-" + Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, invented.StatusCode);
    }

    /// <summary>Sends <paramref name="count"/> requests as fast as possible; counts the answered ones and keeps the first refusal.</summary>
    private async Task<(int Ok, Stopwatch Refused, (HttpStatusCode Status, string? RetryAfter, string Body)? First)> HammerAsync(int count, (string, string)? header)
    {
        var clock = Stopwatch.StartNew();
        var ok = 0;
        (HttpStatusCode, string?, string)? first = null;
        for (var i = 0; i < count; i++)
        {
            using var response = await SendAsync(header);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                ok++;
            }
            else
            {
                first ??= (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    await response.Content.ReadAsStringAsync());
            }
        }

        return (ok, clock, first);
    }

    private async Task<HttpResponseMessage> SendAsync((string Name, string Value)? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(Query, Encoding.UTF8, "application/json") };
        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        return await _client.SendAsync(request);
    }
}
