using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>
/// Hostile requests against the default limits (docs/security.md): each is refused with a status and a code before
/// it costs much, and the app goes on answering. Protocol basics (415, malformed JSON, the 20-deep query) are in
/// <see cref="GraphQLOverHttpTests"/>.
/// </summary>
public sealed class RequestLimitsTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    private HttpClient Client => seeded.Client;

    [Fact]
    public async Task TwentyThousandAliasedFields_AreRefusedWithACode()
    {
        var query = "{ organisation(id: \"QT1\") { " + string.Join(" ", Enumerable.Range(0, 20_000).Select(i => $"a{i}: id")) + " } }";

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("COMPLEXITY", errors[0]!.Code());
        Assert.Contains("field selections", errors[0]!["message"]!.GetValue<string>());
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task TwentyThousandCopiesOfOneField_AreRefusedBeforeTheQuadraticValidation()
    {
        // 60 KB; validation compares every pair of same-named fields, which took 30 s before the field count limit.
        var query = "{ organisation(id: \"QT1\") { " + string.Join(" ", Enumerable.Repeat("id", 20_000)) + " } }";
        var clock = Stopwatch.StartNew();

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("COMPLEXITY", errors[0]!.Code());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task FragmentBomb_IsRefusedBeforeItIsExpanded()
    {
        // 3 KB: each fragment spreads two others, 25 deep, so 2^25 selections; it took minutes to be refused.
        var fragments = Enumerable.Range(0, 25).SelectMany(i => new[]
        {
            $"fragment F{i} on Organisation {{ ...F{i + 1} ...G{i + 1} }}",
            $"fragment G{i} on Organisation {{ ...F{i + 1} ...G{i + 1} }}",
        });
        var query = "{ organisation(id: \"QT1\") { ...F0 ...G0 } } " + string.Join(" ", fragments)
            + " fragment F25 on Organisation { id } fragment G25 on Organisation { name }";
        var clock = Stopwatch.StartNew();

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("COMPLEXITY", errors[0]!.Code());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ManyFragments_AreRefused()
    {
        // Validation compares every pair of fragments spread together: 1,000 one-field fragments took 8 s.
        var query = "{ organisation(id: \"QT1\") { " + string.Join(" ", Enumerable.Range(0, 101).Select(i => $"...F{i}")) + " } } "
            + string.Join(" ", Enumerable.Range(0, 101).Select(i => $"fragment F{i} on Organisation {{ id }}"));

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("COMPLEXITY", errors[0]!.Code());
        Assert.Contains("101 fragments", errors[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task FortyDeepQuery_IsRefusedByTheDepthLimit()
    {
        var query = "{ organisation(id: \"QT1\") { " + string.Concat(Enumerable.Repeat("parent { ", 40)) + "id" + new string('}', 41) + " }";

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("COMPLEXITY", errors[0]!.Code());
        Assert.Contains("nested", errors[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task FiftyThousandNestedSelections_AreAParseErrorNotACrash()
    {
        var query = "{a" + string.Concat(Enumerable.Repeat("{a", 50_000)) + new string('}', 50_001);

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MAX_DEPTH_EXCEEDED", errors[0]!.Code());
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task AliasedTypenameInAFragmentOnAList_IsNotFree()
    {
        // 500 aliases of __typename on each of 1,000 organisations would be half a million answers for a 7 KB request.
        var query = "{ organisations(first: 1000) { nodes { ...F } } } fragment F on Organisation { "
            + string.Join(" ", Enumerable.Range(0, 500).Select(i => $"t{i}: __typename")) + " }";

        var (status, errors) = await Client.FailAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("COMPLEXITY", errors[0]!.Code());
        Assert.Contains("too complex", errors[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Body_OverTheSizeLimit_Is413BeforeItIsParsed()
    {
        // 300 KB, mostly a comment: valid GraphQL, refused for its size alone.
        var query = "{ __typename } # " + new string('x', 300 * 1024);

        var (status, body) = await Client.PostAsync(query);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        var error = JsonNode.Parse(body)!["errors"]![0]!;
        Assert.Equal("REQUEST_TOO_LARGE", error.Code());
        Assert.Contains("262144 bytes", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChunkedBody_OverTheSizeLimit_Is413()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"query\":\"{ __typename }\",\"x\":\"" + new string('x', 300 * 1024) + "\"}");
        using var content = new StreamContent(new NoLengthStream(bytes));
        content.Headers.ContentType = new("application/json");

        using var response = await Client.PostAsync("/graphql", content);

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
    }

    [Fact]
    public async Task Get_QueryStringOverTheSizeLimit_Is414()
    {
        using var response = await Client.GetAsync("/graphql?query=" + Uri.EscapeDataString("{ __typename } # " + new string('x', 300 * 1024)));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
    }

    [Fact]
    public async Task Batch_OfAThousandOperations_IsRefusedAndSaysWhy()
    {
        var batch = "[" + string.Join(",", Enumerable.Repeat("""{"query":"{ organisation(id: \"QT1\") { id } }"}""", 1_000)) + "]";

        using var response = await Client.PostAsync("/graphql", new StringContent(batch, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!;
        Assert.Equal("BAD_REQUEST", error.Code());
        Assert.Contains("Batches", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ManyOperationsInOneDocument_WithoutAnOperationName_RunNothing()
    {
        var document = string.Join(" ", Enumerable.Range(0, 500).Select(i => $"query Q{i} {{ organisation(id: \"QT1\") {{ id }} }}"));

        var (status, errors) = await Client.FailAsync(document);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrEmpty(errors[0]!.Code()));
    }

    [Fact]
    public async Task DeeplyNestedJsonVariables_AreRefused()
    {
        var body = """{"query":"query($v: String) { search(text: $v) { id } }","variables":{"v":""" + new string('[', 10_000) + new string(']', 10_000) + "}}";

        using var response = await Client.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
    }

    [Fact]
    public async Task InvalidUtf8InAVariable_IsRefused()
    {
        var body = new MemoryStream();
        body.Write("""{"query":"query($v: String!) { search(text: $v) { id } }","variables":{"v":"QT"""u8);
        body.Write([0xC3, 0x28]);
        body.Write("\"}}"u8);
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new("application/json");

        using var response = await Client.PostAsync("/graphql", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"query\": 42}")]
    [InlineData("{\"query\": \"{ __typename }\", \"variables\": \"not an object\"}")]
    [InlineData("{\"query\": \"{ __typename }\"} trailing")]
    public async Task MalformedJson_Is400WithACode(string body)
    {
        using var response = await Client.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/graphql")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/jsonx")]
    public async Task WrongContentType_Is415WithACode(string? contentType)
    {
        using var content = new ByteArrayContent("""{"query":"{ __typename }"}"""u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await Client.PostAsync("/graphql", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("BAD_REQUEST", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!.Code());
    }

    private async Task AssertStillAnswersAsync()
    {
        var data = await Client.QueryAsync("""{ organisation(id: "QT1") { id } }""");
        Assert.Equal("QT1", data["organisation"]!["id"]!.GetValue<string>());
    }

    /// <summary>A readable stream that hides its length, so the client sends the body chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
