using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Api.GraphQL;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>
/// Repeated query texts skip parsing and validation, and what depends on the request (variables, their
/// cost, the operation) is still checked every time. Each test uses query texts of its own.
/// </summary>
public sealed class DocumentCacheTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    private const string Expensive = """
        query cacheTestCost($n: Int, $m: Int) {
          organisations(first: $n) { nodes { relationships(first: $m) { nodes { from { id } to { id } } } } }
        }
        """;

    private HttpClient Client => seeded.Client;

    private static StringContent Body(string query, string operationName) =>
        new(new JsonObject { ["query"] = query, ["operationName"] = operationName }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private DocumentCache Cache => seeded.App.Services.GetRequiredService<DocumentCache>();

    [Fact]
    public async Task SameQueryTwice_SameAnswer_OneCachedDocument_SecondIsAHit()
    {
        const string query = """{ cacheTestSame: organisation(id: "QT1") { id name kind } }""";
        var (count, hits) = (Cache.Count, Cache.Hits);

        var first = await Client.PostAsync(query);
        Assert.True(Cache.Contains(query));
        var second = await Client.PostAsync(query);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first, second);
        Assert.Equal("QT1", JsonNode.Parse(second.Body)!["data"]!["cacheTestSame"]!["id"]!.GetValue<string>());
        Assert.Equal(count + 1, Cache.Count);
        Assert.Equal(hits + 1, Cache.Hits);
    }

    [Theory]
    [InlineData("""{ organisation(id: "QT1") { cacheTestNoSuchField } }""", "cacheTestNoSuchField")]
    [InlineData("""{ organisation(id: "QT1") { id """, null)]
    public async Task InvalidQuery_IsRefusedWithItsErrorEveryTime_AndNeverCached(string query, string? inMessage)
    {
        var count = Cache.Count;

        for (var i = 0; i < 3; i++)
        {
            var (status, errors) = await Client.FailAsync(query);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.NotNull(errors[0]!.Code());
            if (inMessage is not null)
            {
                Assert.Contains(inMessage, errors[0]!["message"]!.GetValue<string>());
            }
        }

        Assert.False(Cache.Contains(query));
        Assert.Equal(count, Cache.Count);
    }

    [Fact]
    public async Task CachedDocument_WithOtherVariables_IsStillCheckedForCostAndTypes()
    {
        var hits = Cache.Hits;

        var cheap = await Client.QueryAsync(Expensive, new { n = 1, m = 1 });
        Assert.True(Cache.Contains(Expensive));

        // Same text, so a cached document: the cost depends on the variables and is computed again.
        var (status, errors) = await Client.FailAsync(Expensive, new { n = 1000, m = 1000 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(errors, e => e!.Code() is { } code && code.Contains("COMPLEXITY", StringComparison.Ordinal));

        // Variables are still coerced against their declared types.
        (status, errors) = await Client.FailAsync(Expensive, new { n = "many", m = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("$n", errors[0]!["message"]!.GetValue<string>());

        var again = await Client.QueryAsync(Expensive, new { n = 1, m = 1 });
        Assert.Equal(cheap.ToJsonString(), again.ToJsonString());
        Assert.Equal(hits + 3, Cache.Hits);
    }

    [Fact]
    public async Task CachedDocument_WithSeveralOperations_IsCheckedForTheCostOfTheOneChosen()
    {
        const string query = """
            query cacheTestCheap { organisations(first: 1) { nodes { id } } }
            query cacheTestDear { organisations(first: 1000) { nodes { relationships(first: 1000) { nodes { from { id } to { id } } } } } }
            """;

        using var cheap = await Client.PostAsync("/graphql", Body(query, "cacheTestCheap"));
        Assert.Equal(HttpStatusCode.OK, cheap.StatusCode);
        Assert.True(Cache.Contains(query));

        using var dear = await Client.PostAsync("/graphql", Body(query, "cacheTestDear"));
        Assert.Equal(HttpStatusCode.BadRequest, dear.StatusCode);
        var errors = JsonNode.Parse(await dear.Content.ReadAsStringAsync())!["errors"]!.AsArray();
        Assert.Contains(errors, e => e!.Code() is { } code && code.Contains("COMPLEXITY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MutationCachedFromAPost_IsStillRefusedOverGet()
    {
        // Without a key (or keys configured) the write is refused by its resolver: the document validated, ran and was cached.
        const string mutation = """mutation cacheTestGet { retireOrganisation(id: "QT1", validTo: "2030-01-01", sourceUrls: ["https://example.org/a"]) { id } }""";
        var (status, errors) = await Client.FailAsync(mutation);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(errors[0]!.Code());
        Assert.True(Cache.Contains(mutation));

        using var get = await Client.GetAsync("/graphql?query=" + Uri.EscapeDataString(mutation));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("METHOD_NOT_ALLOWED", JsonNode.Parse(await get.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
    }

    [Fact]
    public async Task CachedDocument_SelectsTheNamedOperationAndUsesItsVariables()
    {
        const string query = """
            query cacheTestA($id: ID!) { organisation(id: $id) { id } }
            query cacheTestB { organisation(id: "QT1") { name } }
            """;
        var hits = Cache.Hits;
        var url = "/graphql?query=" + Uri.EscapeDataString(query);

        using var a = await Client.GetAsync(url + "&operationName=cacheTestA&variables=" + Uri.EscapeDataString("""{"id":"02Q"}"""));
        using var b = await Client.GetAsync(url + "&operationName=cacheTestB");

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal("02Q", JsonNode.Parse(await a.Content.ReadAsStringAsync())!["data"]!["organisation"]!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.NotNull(JsonNode.Parse(await b.Content.ReadAsStringAsync())!["data"]!["organisation"]!["name"]);
        Assert.True(Cache.Contains(query));
        Assert.Equal(hits + 1, Cache.Hits);
    }
}
