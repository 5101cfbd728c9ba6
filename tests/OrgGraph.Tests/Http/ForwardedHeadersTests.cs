using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>
/// Behind a reverse proxy (<c>ForwardedHeaders:KnownProxies</c>): the rate limiter gives each client the proxy forwards
/// (<c>X-Forwarded-For</c>) its own bucket; a request from any other address has its header ignored, so inventing
/// forwarded addresses earns nothing. TestServer has no network peer, so each request names its peer address in a
/// test-only header that a startup filter turns into the connection's remote address, ahead of the app's pipeline.
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private const string Proxy = "10.0.0.1";
    private const string Query = """{"query":"{ organisation(id: \"QT1\") { id } }"}""";

    private readonly OrgGraphApp _app = new(
        ("RateLimit:Enabled", "true"), ("RateLimit:Burst", "2"), ("RateLimit:PermitsPerSecond", "1"),
        ("ForwardedHeaders:KnownProxies:0", Proxy));

    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        File.Copy(await SeededApp.TemplateAsync(), _app.DatabasePath);
        var factory = _app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddTransient<IStartupFilter, PeerAddress>()));
        _client = factory.CreateClient();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await _client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TrustedProxy_TwoForwardedClients_HaveSeparateBuckets()
    {
        var first = await StatusesAsync(Proxy, 5, _ => "203.0.113.1");
        var second = await StatusesAsync(Proxy, 2, _ => "203.0.113.2");

        Assert.Contains(HttpStatusCode.TooManyRequests, first);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], second);
    }

    [Fact]
    public async Task UntrustedPeer_ForwardedHeaderIsIgnored_SoInventedAddressesShareItsBucket()
    {
        var invented = await StatusesAsync("198.51.100.7", 5, i => $"203.0.113.{100 + i}");
        var withoutHeader = await StatusesAsync("198.51.100.7", 1, _ => null);
        var otherPeer = await StatusesAsync("198.51.100.8", 1, _ => null);

        Assert.Contains(HttpStatusCode.TooManyRequests, invented);
        Assert.Equal([HttpStatusCode.TooManyRequests], withoutHeader);
        Assert.Equal([HttpStatusCode.OK], otherPeer);
    }

    /// <summary>Sends <paramref name="count"/> requests from <paramref name="peer"/>, each with its X-Forwarded-For (none when null).</summary>
    private async Task<List<HttpStatusCode>> StatusesAsync(string peer, int count, Func<int, string?> forwardedFor)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(Query, Encoding.UTF8, "application/json") };
            request.Headers.Add(PeerAddress.Header, peer);
            if (forwardedFor(i) is { } address)
            {
                request.Headers.Add("X-Forwarded-For", address);
            }

            using var response = await _client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>Sets the connection's remote address from <see cref="Header"/>, before the app's own middleware runs.</summary>
    private sealed class PeerAddress : IStartupFilter
    {
        public const string Header = "X-Test-Peer";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (http.Request.Headers.TryGetValue(Header, out var peer))
                {
                    http.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                }

                return nextMiddleware(http);
            });
            next(app);
        };
    }
}
