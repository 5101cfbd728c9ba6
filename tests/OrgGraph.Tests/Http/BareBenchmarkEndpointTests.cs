using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrgGraph.Api.Http;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>/bench/bare, the comparison endpoint of the HTTP load test: off by default, and when on, the GraphQL answer's bytes.</summary>
public sealed class BareBenchmarkEndpointTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    [Fact]
    public async Task ByDefault_ThereIsNoBareEndpoint()
    {
        using var response = await seeded.Client.GetAsync(BareBenchmarkEndpoint.Pattern);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task WhenOn_AnswersTheGraphQLAnswersBytesAndContentType()
    {
        using var app = seeded.App.WithWebHostBuilder(web => web.UseSetting("Benchmark:BareEndpoint", "true"));
        using var client = app.CreateClient();
        while ((await client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(50);
        }

        var body = new JsonObject { ["query"] = new BenchmarkOptions().Query }.ToJsonString();
        using var graphql = await client.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        using var barePost = await client.PostAsync(BareBenchmarkEndpoint.Pattern, new StringContent(body, Encoding.UTF8, "application/json"));
        using var bareGet = await client.GetAsync(BareBenchmarkEndpoint.Pattern);

        var expected = await graphql.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, graphql.StatusCode);
        Assert.Equal("QT1", JsonNode.Parse(expected)!["data"]!["organisation"]!["id"]!.GetValue<string>());
        foreach (var bare in new[] { barePost, bareGet })
        {
            Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
            Assert.Equal(graphql.Content.Headers.ContentType, bare.Content.Headers.ContentType);
            Assert.Equal(expected, await bare.Content.ReadAsByteArrayAsync());
        }
    }
}
