using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrgGraph.Model;
using OrgGraph.Storage.Neo4j;

namespace OrgGraph.Tests.Writes;

/// <summary>
/// The Neo4j store's audit trail without a server (as <c>Neo4j/QueryApiTests</c> does it): the change is created in the
/// write's own transaction, before the commit, with every value in parameters; and a stored change reads back.
/// </summary>
public sealed class Neo4jChangeLogTests
{
    private static readonly Neo4jOptions Options = new() { Uri = new Uri("http://neo4j.test:7474/"), Database = "orggraph", User = "neo4j", Password = "pw-never-sent-here" };

    private static readonly Change Change = new()
    {
        Id = "0195938a-0b48-7000-8000-000000000001",
        At = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero),
        KeyId = "newsroom",
        Action = ChangeAction.UpsertOrganisation,
        Subject = "test-ltd",
        NodeIds = ["test-ltd"],
        SourceIds = ["url:0123456789abcdef"],
        After = """{"id":"test-ltd"}""",
    };

    [Fact]
    public async Task Upsert_WithAChange_CreatesItInTheSameTransactionBeforeTheCommit()
    {
        var handler = new FakeQueryApi(r => r.Path.EndsWith("/tx", StringComparison.Ordinal)
            ? """{"data":{"fields":[],"values":[]},"transaction":{"id":"tx-5"}}"""
            : """{"data":{"fields":[],"values":[]}}""");
        var store = new Neo4jGraphStore(new QueryApiClient(new HttpClient(handler), Options), Options);

        await store.UpsertAsync(new GraphBatch
        {
            Nodes = [new Node { Id = "test-ltd", Name = "Test Ltd", Kind = OrgKind.Company, Sector = Sector.Private }],
            Changes = [Change],
        }, CancellationToken.None);

        var statements = handler.Requests.Where(r => r.Body?["statement"] is not null).ToList();
        Assert.Equal([Cypher.UpsertNodes, Cypher.RecordChanges], statements.Select(s => s.Body!["statement"]!.GetValue<string>()));
        Assert.All(statements, s => Assert.Equal("/db/orggraph/query/v2/tx/tx-5", s.Path));
        Assert.EndsWith("/commit", handler.Requests[^1].Path, StringComparison.Ordinal);
        var row = statements[1].Body!["parameters"]!["rows"]![0]!;
        Assert.Equal((Change.Id, "newsroom", "UPSERT_ORGANISATION", "2025-03-14T09:26:53.0000000Z"),
            (row["id"]!.GetValue<string>(), row["props"]!["keyId"]!.GetValue<string>(), row["props"]!["action"]!.GetValue<string>(), row["props"]!["at"]!.GetValue<string>()));
        Assert.DoesNotContain("newsroom", statements[1].Body!["statement"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetChanges_ReadsTheStoredNodes()
    {
        var handler = new FakeQueryApi(_ => """
            {"data":{"fields":["c"],"values":[[{"elementId":"4:db:9","labels":["Change"],"properties":{"id":"0195938a-0b48-7000-8000-000000000001","at":"2025-03-14T09:26:53.0000000Z",
              "keyId":"newsroom","action":"RETIRE_ORGANISATION","subject":"test-ltd","nodes":["test-ltd"],"sources":["url:0123456789abcdef"],"before":"{}","after":"{}"}}]]}}
            """);
        var store = new Neo4jGraphStore(new QueryApiClient(new HttpClient(handler), Options), Options);

        var change = Assert.Single(await store.GetChangesAsync("test-ltd", 10, CancellationToken.None));

        Assert.Equal((Change.At, "newsroom", ChangeAction.RetireOrganisation, "{}"), (change.At, change.KeyId, change.Action, change.Before));
        Assert.Equal(["test-ltd"], change.NodeIds);
        var sent = Assert.Single(handler.Requests).Body!;
        Assert.Equal((Cypher.GetChanges, "test-ltd", 10), (sent["statement"]!.GetValue<string>(), sent["parameters"]!["nodeId"]!.GetValue<string>(), sent["parameters"]!["first"]!.GetValue<int>()));
    }

    private sealed record Recorded(string Path, JsonNode? Body);

    private sealed class FakeQueryApi(Func<Recorded, string> answer) : HttpMessageHandler
    {
        public List<Recorded> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
            var recorded = new Recorded(request.RequestUri!.AbsolutePath, body);
            Requests.Add(recorded);
            return new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent(answer(recorded), Encoding.UTF8, "application/json") };
        }
    }
}
