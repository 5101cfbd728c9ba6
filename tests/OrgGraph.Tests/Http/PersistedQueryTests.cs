using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>
/// The persisted query allow-list (<c>GraphQL:PersistedQueries</c>): when on, only listed documents run — named by
/// their text, by Apollo's <c>extensions.persistedQuery.sha256Hash</c> or by <c>documentId</c> — plus introspection.
/// </summary>
public sealed class PersistedQueryTests : IAsyncLifetime
{
    private const string Listed = """query Ics($id: ID!) { organisation(id: $id) { id name } }""";
    private const string Other = """{ organisation(id: "QT1") { id name } }""";

    private readonly string _list = Path.Combine(Path.GetTempPath(), $"orggraph-pq-{Guid.NewGuid():N}.json");
    private OrgGraphApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(_list, JsonSerializer.Serialize(new Dictionary<string, string> { [Hash(Listed)] = Listed }));
        _app = new OrgGraphApp(("GraphQL:PersistedQueries:Enabled", "true"), ("GraphQL:PersistedQueries:Path", _list));
        File.Copy(await SeededApp.TemplateAsync(), _app.DatabasePath);
        _client = await _app.ReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        File.Delete(_list);
    }

    [Fact]
    public async Task ListedText_Runs()
    {
        var data = await _client.QueryAsync(Listed, new { id = "QT1" });

        Assert.Equal("QT1", data["organisation"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ApolloHashAlone_RunsTheListedDocument()
    {
        var body = Body(null, new JsonObject { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = Hash(Listed) } });

        var (status, json) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("QT1", json["data"]!["organisation"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task DocumentId_RunsTheListedDocument()
    {
        var body = Body(null, null);
        body["documentId"] = "sha256:" + Hash(Listed).ToUpperInvariant();

        var (status, json) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("QT1", json["data"]!["organisation"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_WithTheHashInExtensions_Runs()
    {
        var extensions = Uri.EscapeDataString(Apollo(Hash(Listed)).ToJsonString());

        using var response = await _client.GetAsync($"/graphql?extensions={extensions}&variables={Uri.EscapeDataString("""{"id":"QT1"}""")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("QT1", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["organisation"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnlistedText_IsRefused()
    {
        var (status, errors) = await _client.FailAsync(Other);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("PERSISTED_QUERY_NOT_ALLOWED", errors[0]!.Code());
    }

    [Fact]
    public async Task UnknownHash_IsNotFound()
    {
        var (status, json) = await PostAsync(Body(null, Apollo(Hash(Other))));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", json["errors"]![0]!.Code());
    }

    [Fact]
    public async Task HashWithADifferentText_IsRefused()
    {
        var (status, json) = await PostAsync(Body(Other, Apollo(Hash(Listed))));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BAD_REQUEST", json["errors"]![0]!.Code());
    }

    [Theory]
    [InlineData("not-a-hash")]
    [InlineData("sha1:0123")]
    public async Task MalformedDocumentId_IsRefused(string documentId)
    {
        var body = Body(null, null);
        body["documentId"] = documentId;

        var (status, json) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BAD_REQUEST", json["errors"]![0]!.Code());
    }

    [Fact]
    public async Task Introspection_StaysAllowed()
    {
        var schema = await _client.QueryAsync(IntrospectionQuery.Text);
        var typename = await _client.QueryAsync("{ __typename t: __type(name: \"Organisation\") { name } }");

        Assert.NotEmpty(schema["__schema"]!["types"]!.AsArray());
        Assert.Equal("Organisation", typename["t"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{ __typename organisation(id: "QT1") { id } }""")]
    [InlineData("""{ ...F } fragment F on Query { __typename organisation(id: "QT1") { id } }""")]
    [InlineData("""{ __typename } query Other { organisation(id: "QT1") { id } }""")]
    public async Task IntrospectionMixedWithData_IsRefused(string query)
    {
        var (_, errors) = await _client.FailAsync(query);

        Assert.Equal("PERSISTED_QUERY_NOT_ALLOWED", errors[0]!.Code());
    }

    [Fact]
    public async Task ListWithAWrongHash_StopsTheStartAndSaysWhy()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"orggraph-pq-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(bad, JsonSerializer.Serialize(new Dictionary<string, string> { [Hash(Other)] = Listed }));
        try
        {
            await using var app = new OrgGraphApp(("GraphQL:PersistedQueries:Enabled", "true"), ("GraphQL:PersistedQueries:Path", bad));

            var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());

            Assert.Contains("is not the SHA-256", e.ToString());
        }
        finally
        {
            File.Delete(bad);
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static JsonObject Apollo(string hash) => new() { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = hash } };

    private static JsonObject Body(string? query, JsonObject? extensions) => new()
    {
        ["query"] = query,
        ["variables"] = new JsonObject { ["id"] = "QT1" },
        ["extensions"] = extensions,
    };

    private async Task<(HttpStatusCode Status, JsonNode Json)> PostAsync(JsonObject body)
    {
        using var response = await _client.PostAsync("/graphql", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}

/// <summary>With the allow-list off (the default), a hash alone is answered so that Apollo clients fall back to text.</summary>
public sealed class PersistedQueryOffTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    [Fact]
    public async Task HashAlone_IsNotSupported_HashWithText_Runs()
    {
        const string query = """{ organisation(id: "QT1") { id } }""";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
        JsonObject Body(string? text) => new() { ["query"] = text, ["extensions"] = new JsonObject { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = hash } } };

        using var alone = await seeded.Client.PostAsync("/graphql", new StringContent(Body(null).ToJsonString(), Encoding.UTF8, "application/json"));
        using var withText = await seeded.Client.PostAsync("/graphql", new StringContent(Body(query).ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, alone.StatusCode);
        Assert.Equal("PERSISTED_QUERY_NOT_SUPPORTED", JsonNode.Parse(await alone.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
        Assert.Equal(HttpStatusCode.OK, withText.StatusCode);
        Assert.Equal("QT1", JsonNode.Parse(await withText.Content.ReadAsStringAsync())!["data"]!["organisation"]!["id"]!.GetValue<string>());
    }
}
