using System.Net;
using System.Text.RegularExpressions;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>
/// /explorer as HTTP sees it: the page and its assets come from this server (bundled from npm at build time, no CDN),
/// under a same-origin Content-Security-Policy, and its scripts speak to nothing but the public GraphQL endpoint.
/// What the page does is tested in a browser (Explorer/ExplorerBrowserTests.cs).
/// </summary>
public sealed partial class ExplorerPageTests(SeededApp app) : IClassFixture<SeededApp>
{
    private static readonly string ScriptsDirectory = Path.Combine(Repo.Root, "src", "OrgGraph.Api", "wwwroot", "explorer", "js");

    private HttpClient Client => app.Client;

    [Theory]
    [InlineData("/explorer")]
    [InlineData("/explorer/")]
    public async Task Page_IsServedWithItsLibrariesFromThisServer(string path)
    {
        using var response = await Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/explorer/lib/cytoscape.min.js", html, StringComparison.Ordinal); // npm ran at build time (the tests need npm)
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html);
        foreach (var asset in AssetsOf(html).Append("/explorer/js/api.js").Append("/explorer/lib/LICENSE.cytoscape.txt"))
        {
            using var assetResponse = await Client.GetAsync(asset);
            Assert.True(assetResponse.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)assetResponse.StatusCode}");
        }
    }

    [Fact]
    public async Task PageAndAssets_AreSameOriginOnly()
    {
        foreach (var path in new[] { "/explorer", "/explorer/js/app.js", "/explorer/lib/cytoscape.min.js" })
        {
            using var response = await Client.GetAsync(path);

            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
            Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        // The API itself is not given the page's policy.
        using var api = await Client.GetAsync("/healthz");
        Assert.False(api.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task MissingPage_ExplainsHowToBuildThePage()
    {
        using var response = await Client.GetAsync("/explorer/missing.html");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("npm", html, StringComparison.Ordinal);
        Assert.Contains("POST /graphql", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_ReadOnlyThePublicGraphQLEndpoint()
    {
        var scripts = Directory.GetFiles(ScriptsDirectory, "*.js").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

        // One place sends requests, to /graphql, and never a mutation.
        Assert.Equal(["api.js"], scripts.Where(s => s.Value.Contains("fetch(", StringComparison.Ordinal)).Select(s => s.Key));
        Assert.Contains("const ENDPOINT = '/graphql';", scripts["api.js"], StringComparison.Ordinal);
        Assert.All(scripts, s => Assert.DoesNotContain("XMLHttpRequest", s.Value, StringComparison.Ordinal));
        Assert.All(scripts, s => Assert.DoesNotMatch(MutationPattern(), s.Value));
        // No absolute address in code (the graph's source links come from the API's answers).
        Assert.All(scripts, s => Assert.DoesNotMatch(@"['""`]https?://(?!www\.w3\.org/2000/svg|graphml\.graphdrawing\.org/xmlns)", s.Value));
    }

    private static IEnumerable<string> AssetsOf(string html) =>
        AssetPattern().Matches(html).Select(m => m.Groups[1].Value).Where(v => v.StartsWith("/explorer/", StringComparison.Ordinal));

    [GeneratedRegex(@"(?:src|href)=""([^""]+)""")]
    private static partial Regex AssetPattern();

    [GeneratedRegex(@"\bmutation\s*[({A-Za-z]")]
    private static partial Regex MutationPattern();
}
