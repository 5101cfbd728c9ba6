using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>The GraphQL-over-HTTP contract: methods, media types, status codes and error codes.</summary>
public sealed class GraphQLOverHttpTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    private const string Query = """{ organisation(id: "QT1") { id name } }""";

    private HttpClient Client => seeded.Client;

    [Fact]
    public async Task Post_Json_AnswersGraphQLResponseJsonByDefault()
    {
        using var response = await Client.PostAsync("/graphql", Json(new JsonObject { ["query"] = Query }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("QT1", body["data"]!["organisation"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_WithQueryParameters_Executes()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString("query($id: ID!) { organisation(id: $id) { id } }")
            + "&variables=" + Uri.EscapeDataString("""{"id":"QT1"}""");

        using var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("QT1", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["organisation"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_ValidationError_Is400WithCode()
    {
        var (status, body) = await Client.PostAsync("{ organisation(id: \"QT1\") { noSuchField } }");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonNode.Parse(body)!["errors"]![0]!;
        Assert.Contains("noSuchField", error["message"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error.Code()));
        Assert.Null(JsonNode.Parse(body)!["data"]);
    }

    [Fact]
    public async Task Post_ParseError_Is400()
    {
        var (status, body) = await Client.PostAsync("{ organisation(id: ");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(JsonNode.Parse(body)!["errors"]![0]!.Code());
    }

    [Fact]
    public async Task Post_LegacyJsonAccept_Is200EvenForValidationErrors()
    {
        var (status, body) = await Client.PostAsync("{ nope }", accept: "application/json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(JsonNode.Parse(body)!["errors"]);
    }

    [Fact]
    public async Task Post_LegacyJsonAccept_AnswersApplicationJson()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json(new JsonObject { ["query"] = Query }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await Client.SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Post_UnacceptableAccept_Is406()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json(new JsonObject { ["query"] = Query }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Post_WrongContentType_Is415()
    {
        using var response = await Client.PostAsync("/graphql", new StringContent(Query, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("BAD_REQUEST", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
    }

    [Theory]
    [InlineData("{\"query\": ")]
    [InlineData("[{\"query\": \"{ __typename }\"}]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"variables\": {}}")]
    public async Task Post_MalformedBody_Is400WithReason(string body)
    {
        using var response = await Client.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!;
        Assert.Equal("BAD_REQUEST", error.Code());
        Assert.DoesNotContain("   at ", error["message"]!.GetValue<string>()); // no stack trace
        Assert.DoesNotContain("Exception", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_FromBrowser_ServesTheIdeWithoutACdn()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await Client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("https://", html.Replace("https://nodejs.org", "", StringComparison.Ordinal));
        if (html.Contains("/graphiql/lib/graphiql.min.js", StringComparison.Ordinal))
        {
            foreach (var asset in new[] { "/graphiql/lib/graphiql.min.js", "/graphiql/lib/graphiql.min.css" })
            {
                Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(asset)).StatusCode);
            }
        }
        else
        {
            Assert.Contains("npm", html);
        }
    }

    [Fact]
    public async Task Health_LivenessAndReadiness_AreUp()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task DeepQuery_IsRefusedWithACode()
    {
        var query = "{ organisation(id: \"QT1\") { " + string.Concat(Enumerable.Repeat("parent { ", 20)) + "id" + new string('}', 21) + " }";

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(errors, e => e!.Code() is { } code && code.Contains("COMPLEXITY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpensiveQuery_IsRefusedByComplexity()
    {
        var query = "{ organisations(first: 1000) { nodes { relationships(first: 1000) { nodes { from { id } to { id } } } } } }";

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(errors, e => e!.Code() is { } code && code.Contains("COMPLEXITY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StandardIntrospectionQuery_PassesTheLimits()
    {
        var data = await Client.QueryAsync(IntrospectionQuery.Text);

        Assert.Contains(data["__schema"]!["types"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "Organisation");
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
