using System.Net;
using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.GraphQL;

/// <summary>
/// SQL and Cypher injection, and odd text, in every string argument of every Query field: each request gets a clean
/// answer or an error with a client code (never an unhandled store error), the store is unchanged afterwards, and
/// the app still answers. Values travel as variables, so they reach the resolvers byte for byte.
/// </summary>
public abstract class InjectionScenarios(IStoreFixture store)
{
    /// <summary>Each string (or ID, or Date) argument, as a query whose variable $v carries the payload.</summary>
    private static readonly Dictionary<string, string> Arguments = new()
    {
        ["organisation.id"] = "query($v: ID!) { organisation(id: $v) { id name } }",
        ["organisations.within"] = "query($v: ID) { organisations(within: $v, first: 3) { totalCount nodes { id } } }",
        ["organisations.nameContains"] = "query($v: String) { organisations(nameContains: $v, first: 3) { totalCount nodes { id } } }",
        ["organisations.after"] = "query($v: String) { organisations(after: $v, first: 3) { nodes { id } } }",
        ["organisations.asOf"] = "query($v: Date) { organisations(asOf: $v, first: 1) { totalCount } }",
        ["search.text"] = "query($v: String!) { search(text: $v, first: 5) { id } }",
        ["relationships.after"] = """query($v: String) { organisation(id: "QT1") { relationships(after: $v, first: 2) { totalCount nodes { type } } } }""",
        ["parent.asOf"] = """query($v: Date) { organisation(id: "QT1") { parent(asOf: $v) { id } } }""",
        ["whoControls.id"] = "query($v: ID!) { whoControls(id: $v, maxHops: 3) { length } }",
        ["controlledBy.id"] = "query($v: ID!) { controlledBy(id: $v, maxHops: 2, first: 5) { length } }",
        ["privatisationPaths.from"] = "query($v: ID!) { privatisationPaths(from: $v, maxHops: 3, first: 5) { length } }",
        ["connections.from"] = """query($v: ID!) { connections(from: $v, to: "QT1", maxHops: 2, first: 2) { length } }""",
        ["connections.to"] = """query($v: ID!) { connections(from: "QT1", to: $v, maxHops: 2, first: 2) { length } }""",
        ["lineage.id"] = "query($v: ID!) { lineage(id: $v) { successors { depth } } }",
        ["stats.within"] = "query($v: ID) { stats(within: $v) { total } }",
    };

    /// <summary>The payloads, also sent to every mutation (Writes/MutationInjectionTests.cs).</summary>
    internal static readonly Dictionary<string, string> Payloads = new()
    {
        ["sql-or"] = "' OR 1=1 --",
        ["sql-or-id"] = "QT1' OR '1'='1",
        ["sql-drop"] = "x'); DROP TABLE nodes; --",
        ["sql-union"] = "QT1' UNION SELECT id, name FROM nodes --",
        ["sql-stacked"] = "QT1\"; DELETE FROM relationships; --",
        ["cypher-delete"] = "\") MATCH (n) DETACH DELETE n //",
        ["cypher-union"] = "{id: 'x'}) RETURN 1 UNION MATCH (n) RETURN n //",
        ["cypher-set"] = "x' }) SET n.name = 'pwned' WITH n MATCH (m) DETACH DELETE m //",
        ["cypher-parameter"] = "$id",
        ["like-wildcards"] = "%_%",
        ["fts-syntax"] = "\"nottingham\" OR * NEAR(x NOT y) ^",
        ["json"] = "{\"$ne\": null}",
        ["unicode"] = "Ωmega 𝕿𝖊𝖘𝖙 👩‍⚕️ \u202Eevil\u200B",
        ["nul"] = "QT1\0' OR 1=1",
        ["control"] = "\u0001\u001b[2J\r\n\t",
        ["empty"] = "",
        ["spaces"] = "   ",
        ["long"] = new string('A', 5_000),
        ["date-like"] = "2021-04-01' OR '1'='1",
    };

    /// <summary>Codes a client may get for a bad value; anything else (e.g. an unhandled store exception) fails.</summary>
    private static readonly HashSet<string> ClientCodes = ["NOT_FOUND", "INVALID_ARGUMENT", "LIMIT_EXCEEDED", "INVALID_VALUE"];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var argument in Arguments.Keys)
        {
            foreach (var payload in Payloads.Keys)
            {
                cases.Add(argument, payload);
            }
        }

        return cases;
    }

    protected HttpClient Client => store.Client;

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Payload_GetsACleanAnswerOrAClientError_AndChangesNothing(string argument, string payload)
    {
        var before = await FingerprintAsync();

        var (status, body) = await Client.PostAsync(Arguments[argument], new { v = Payloads[payload] });

        var json = JsonNode.Parse(body)!;
        if (json["errors"] is JsonArray errors)
        {
            Assert.All(errors, e => Assert.True(e!.Code() is { } code && ClientCodes.Contains(code), $"{argument} with {payload}: HTTP {(int)status} {e!.ToJsonString()}"));
            Assert.DoesNotContain("Exception", body);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotNull(json["data"]);
        }

        Assert.Equal(before, await FingerprintAsync());
        var data = await Client.QueryAsync("""{ organisation(id: "QT1") { id } }""");
        Assert.Equal("QT1", data["organisation"]!["id"]!.GetValue<string>());
    }

    /// <summary>What the store holds, as the API sees it: organisations, one hub's relationships, whole-graph stats.</summary>
    protected virtual async Task<string> FingerprintAsync()
    {
        var data = await Client.QueryAsync("""
            { organisations(first: 0) { totalCount } stats { total }
              organisation(id: "QT1") { name relationships(first: 0) { totalCount } } }
            """);
        return data.ToJsonString();
    }
}

/// <summary>The injection scenarios on the embedded store, which also checks the SQLite file's tables and row counts.</summary>
public sealed class InjectionTests(SeededApp seeded) : InjectionScenarios(seeded), IClassFixture<SeededApp>
{
    protected override async Task<string> FingerprintAsync() =>
        await SqliteSnapshot.TakeAsync(seeded.OracleDatabasePath, content: false) + " " + await base.FingerprintAsync();
}

/// <summary>The injection scenarios on Neo4j (skipped unless ORGGRAPH_TEST_NEO4J_URI is set).</summary>
public sealed class InjectionOnNeo4jTests(Neo4jSeededApp neo4j) : InjectionScenarios(neo4j), IClassFixture<Neo4jSeededApp>;
