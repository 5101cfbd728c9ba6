using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrgGraph.Model;
using OrgGraph.Storage.Neo4j;

namespace OrgGraph.Tests.Neo4j;

/// <summary>
/// The Neo4j backend without a server: the Query API's documented payloads (plain JSON results with nodes,
/// relationships, paths and typed values; errors; 401) decoded, and the requests the store sends — endpoints,
/// auth, statements from <see cref="Cypher"/> with every input in parameters, explicit transactions for imports.
/// </summary>
public sealed class QueryApiTests
{
    private static readonly Neo4jOptions Options = new() { Uri = new Uri("http://neo4j.test:7474/"), Database = "orggraph", User = "neo4j", Password = "s3cret!", BatchSize = 2 };

    // A node, a relationship and a path as the Query API documents them (application/json).
    private const string PathResponse = """
        {"data":{"fields":["p"],"values":[[[
          {"elementId":"4:db:1","labels":["Organisation"],"properties":{"id":"52R","name":"NHS Nottingham and Nottinghamshire CCG","kind":"CCG","sector":"PUBLIC","validFrom":"2020-04-01","validTo":"9999-12-31","confidence":"OFFICIAL","sources":["ons-ccg20-stp20"],"properties":"{}"}},
          {"elementId":"5:db:9","startNodeElementId":"4:db:1","endNodeElementId":"4:db:2","type":"PART_OF","properties":{"key":42,"validFrom":"2020-04-01","validTo":"9999-12-31","confidence":"OFFICIAL","sources":["ons-ccg20-stp20","ons-ccg21-stp21-nhser21"],"properties":"{}"}},
          {"elementId":"4:db:2","labels":["Organisation"],"properties":{"id":"QT1","name":"Nottingham and Nottinghamshire","kind":"ICS","sector":"PUBLIC","validFrom":"0001-01-01","validTo":"9999-12-31","confidence":"OFFICIAL","sources":[],"properties":"{}"}},
          {"elementId":"5:db:7","startNodeElementId":"4:db:3","endNodeElementId":"4:db:2","type":"PART_OF","properties":{"key":43,"validFrom":"2022-03-01","validTo":"2024-03-31","confidence":"OFFICIAL","sources":["ods-etr-2022-03"],"properties":"{\"note\":\"x\"}"}},
          {"elementId":"4:db:3","labels":["Organisation"],"properties":{"id":"RX1","name":"Nottingham University Hospitals NHS Trust","kind":"TRUST","sector":"PUBLIC","validFrom":"2006-04-01","validTo":"9999-12-31","confidence":"OFFICIAL","sources":[],"properties":"{}"}}
        ]]]},"bookmarks":["FB:kcwQ"]}
        """;

    [Fact]
    public void Decode_PlainJsonValues_KeepsFieldsRowsAndTypes()
    {
        var (result, tx) = QueryApiClient.Decode(HttpStatusCode.Accepted, """
            {"data":{"fields":["n","s","f","b","nothing","list","map"],"values":[[7,"text",0.5,true,null,[1,"a"],{"k":"v"}]]},"bookmarks":["FB:1"]}
            """);

        Assert.Null(tx);
        Assert.Equal(["n", "s", "f", "b", "nothing", "list", "map"], result.Fields);
        var row = Assert.Single(result.Rows);
        Assert.Equal(7, row[result.Index("n")].GetInt64());
        Assert.Equal("text", row[1].GetString());
        Assert.Equal(0.5, row[2].GetDouble());
        Assert.True(row[3].GetBoolean());
        Assert.Equal(JsonValueKind.Null, row[4].ValueKind);
        Assert.Equal(2, row[5].GetArrayLength());
        Assert.Equal("v", row[6].GetProperty("k").GetString());
    }

    [Fact]
    public void Decode_Path_GivesNodesInOrderAndStepsWithDirectionDatesSourcesAndControl()
    {
        var (result, _) = QueryApiClient.Decode(HttpStatusCode.Accepted, PathResponse);

        var path = Neo4jGraphStore.ToPath(result.Rows[0][0], null);

        Assert.Equal(["52R", "QT1", "RX1"], path.Nodes);
        Assert.Equal((Direction.Outgoing, Direction.Incoming), (path.Steps[0].Direction, path.Steps[1].Direction));
        Assert.Equal(("52R", "QT1", "RX1", "QT1"), (path.Steps[0].Relationship.From, path.Steps[0].Relationship.To, path.Steps[1].Relationship.From, path.Steps[1].Relationship.To));
        Assert.Equal(ControlKind.Oversight, path.Steps[0].ControlKind);
        Assert.Equal(["ons-ccg20-stp20", "ons-ccg21-stp21-nhser21"], path.Steps[0].Relationship.SourceIds);
        Assert.Equal(42, path.Steps[0].Relationship.Key);
        Assert.Equal(new Period(new DateOnly(2022, 3, 1), new DateOnly(2024, 3, 31)), path.Period);
        Assert.Null(path.Steps[0].Relationship.ValidTo);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"errors":[{"code":"Neo.ClientError.Statement.SyntaxError","message":"Invalid input 'RETRN'"}]}""", "Neo.ClientError.Statement.SyntaxError")]
    [InlineData(HttpStatusCode.BadRequest, """{"errors":[{"code":"Neo.ClientError.Schema.ConstraintValidationFailed","message":"already exists"}]}""", "Neo.ClientError.Schema.ConstraintValidationFailed")]
    [InlineData(HttpStatusCode.NotFound, """{"errors":[{"code":"Neo.ClientError.Request.Invalid","message":"Transaction with Id: 1 was not found."}]}""", "Neo.ClientError.Request.Invalid")]
    [InlineData(HttpStatusCode.InternalServerError, "oops", "OrgGraph.Decoding")]
    public void Decode_Errors_CarryNeo4jsCode(HttpStatusCode status, string body, string code)
    {
        var error = Assert.ThrowsAny<Neo4jException>(() => QueryApiClient.Decode(status, body));

        Assert.Equal(code, error.Code);
        Assert.IsNotType<Neo4jAuthenticationException>(error);
    }

    [Theory]
    [InlineData("""{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"Invalid username or password."}]}""")]
    [InlineData("")]
    public void Decode_401_IsAnAuthenticationError(string body)
    {
        Assert.Throws<Neo4jAuthenticationException>(() => QueryApiClient.Decode(HttpStatusCode.Unauthorized, body));
    }

    [Fact]
    public async Task Reads_PostOneParameterisedStatementWithBasicAuth()
    {
        var server = new FakeQueryApi(_ => (HttpStatusCode.Accepted, PathResponse));
        var store = server.Store();
        const string Hostile = "QT1' }) DETACH DELETE n //";

        var paths = await store.ConnectionsAsync("52R", Hostile, new TraversalQuery { AsOf = new DateOnly(2023, 1, 1), MaxHops = 6, First = 3 }, CancellationToken.None);

        Assert.Single(paths);
        var request = Assert.Single(server.Requests);
        Assert.Equal((HttpMethod.Post, "/db/orggraph/query/v2"), (request.Method, request.Path));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("neo4j:s3cret!")), request.Authorization);
        Assert.Equal(Cypher.Connections, request.Body!["statement"]!.GetValue<string>());
        Assert.Equal(Hostile, request.Body["parameters"]!["to"]!.GetValue<string>());
        Assert.Equal("2023-01-01", request.Body["parameters"]!["asOf"]!.GetValue<string>());
        Assert.Equal(6, request.Body["parameters"]!["maxHops"]!.GetValue<int>());
    }

    [Fact]
    public async Task BearerToken_ReplacesBasicAuth()
    {
        var server = new FakeQueryApi(_ => (HttpStatusCode.Accepted, """{"data":{"fields":["sources","nodes","relationships"],"values":[[1,2,3]]}}"""));
        var store = server.Store(new Neo4jOptions { Uri = Options.Uri, BearerToken = "tok" });

        Assert.Equal(new OrgGraph.Storage.GraphCounts(1, 2, 3), await store.CountAsync(CancellationToken.None));
        Assert.Equal("Bearer tok", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task Upsert_RunsBatchesInOneExplicitTransactionAndCommits()
    {
        var server = new FakeQueryApi(r => r.Path.EndsWith("/tx", StringComparison.Ordinal)
            ? (HttpStatusCode.Accepted, """{"data":{"fields":[],"values":[]},"transaction":{"id":"tx-17","expires":"2026-11-27T10:00:00Z"}}""")
            : (HttpStatusCode.Accepted, """{"data":{"fields":[],"values":[]}}"""));

        await server.Store().UpsertAsync(Batch(), CancellationToken.None);

        Assert.Equal("/db/orggraph/query/v2/tx", server.Requests[0].Path);
        Assert.Equal("/db/orggraph/query/v2/tx/tx-17/commit", server.Requests[^1].Path);
        var statements = server.Requests.Skip(1).SkipLast(1).Select(r => (r.Path, Statement: r.Body!["statement"]!.GetValue<string>(), Rows: r.Body["parameters"]!["rows"]!.AsArray().Count)).ToList();
        Assert.All(statements, s => Assert.Equal("/db/orggraph/query/v2/tx/tx-17", s.Path));
        Assert.Equal([(Cypher.UpsertNodes, 2), (Cypher.UpsertNodes, 1), (Cypher.UpsertRelationships[RelationshipType.PartOf], 1)], statements.Select(s => (s.Statement, s.Rows)));
        Assert.All(statements, s => Assert.DoesNotContain("QT1", s.Statement));
    }

    [Fact]
    public async Task Upsert_FailingPartWay_RollsBackAndCommitsNothing()
    {
        var server = new FakeQueryApi(r =>
            r.Path.EndsWith("/tx", StringComparison.Ordinal) ? (HttpStatusCode.Accepted, """{"transaction":{"id":"tx-9"}}""")
            : r.Body?["statement"]?.GetValue<string>() == Cypher.UpsertRelationships[RelationshipType.PartOf] ? (HttpStatusCode.BadRequest, """{"errors":[{"code":"Neo.TransientError.Transaction.Outdated","message":"gone"}]}""")
            : (HttpStatusCode.Accepted, """{"data":{"fields":[],"values":[]}}"""));

        await Assert.ThrowsAsync<Neo4jException>(() => server.Store().UpsertAsync(Batch(), CancellationToken.None));

        Assert.Equal((HttpMethod.Delete, "/db/orggraph/query/v2/tx/tx-9"), (server.Requests[^1].Method, server.Requests[^1].Path));
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith("/commit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unauthorized_SurfacesAsAnAuthenticationErrorWithoutTheSecret()
    {
        var server = new FakeQueryApi(_ => (HttpStatusCode.Unauthorized, """{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"Invalid username or password."}]}"""));

        var error = await Assert.ThrowsAsync<Neo4jAuthenticationException>(() => server.Store().GetNodesAsync(["QT1"], CancellationToken.None));

        Assert.DoesNotContain("s3cret", error.Message + Options);
    }

    private static GraphBatch Batch() => new()
    {
        Nodes =
        [
            new Node { Id = "QT1", Name = "Nottingham and Nottinghamshire", Kind = OrgKind.Ics, Sector = Sector.Public },
            new Node { Id = "52R", Name = "NHS Nottingham and Nottinghamshire CCG", Kind = OrgKind.Ccg, Sector = Sector.Public },
            new Node { Id = "Y60", Name = "Midlands", Kind = OrgKind.Region, Sector = Sector.Public },
        ],
        Relationships = [new Relationship { Type = RelationshipType.PartOf, From = "52R", To = "QT1", ValidFrom = new DateOnly(2020, 4, 1) }],
    };

    private sealed record Recorded(HttpMethod Method, string Path, string? Authorization, JsonNode? Body);

    /// <summary>An in-process stand-in for the Query API: answers from a function and records each request.</summary>
    private sealed class FakeQueryApi(Func<Recorded, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
    {
        public List<Recorded> Requests { get; } = [];

        public Neo4jGraphStore Store(Neo4jOptions? options = null) =>
            new(new QueryApiClient(new HttpClient(this), options ?? Options), options ?? Options);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
            var recorded = new Recorded(request.Method, request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString(), body);
            Requests.Add(recorded);
            var (status, text) = answer(recorded);
            return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
        }
    }
}
