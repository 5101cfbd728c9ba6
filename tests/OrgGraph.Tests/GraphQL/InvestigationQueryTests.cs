using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.GraphQL;

/// <summary>
/// The investigative queries on the full seed through HTTP. Expectations come from the curated CSVs and
/// from an independent breadth-first search over the SQLite file the app serves.
/// </summary>
public abstract class InvestigationQueryScenarios(IStoreFixture store)
{
    private const string AtMedics = "CH:05057581";

    private const string StepFields = "steps { from { id } to { id } type controlKind direction validFrom validTo confidence sources { url } }";

    private HttpClient Client => store.Client;

    [SkippableFact]
    public async Task WhoControls_AnAtMedicsPractice_GivesItsCommissionerChainAndItsOwnershipChain()
    {
        var practice = AtMedicsPracticesCommissionedIn("QMJ").First();

        var chains = await ChainsAsync("whoControls", practice, "2022-06-01");

        var ownership = Assert.Single(chains, c => Ids(c)[0] == "centene-corporation");
        Assert.Equal(["centene-corporation", "mh-services-international-uk", "operose-health", AtMedics, practice], Ids(ownership));
        Assert.Equal(["OWNERSHIP", "OWNERSHIP", "OWNERSHIP", "OPERATION"], Steps(ownership).Select(s => s["controlKind"]!.GetValue<string>()));
        Assert.All(Steps(ownership), s => Assert.Equal("INCOMING", s["direction"]!.GetValue<string>()));
        var oversight = Assert.Single(chains, c => Ids(c)[0] == "nhs-england");
        Assert.Equal(["OVERSIGHT", "OVERSIGHT", "OVERSIGHT", "COMMISSIONING"], Steps(oversight).Select(s => s["controlKind"]!.GetValue<string>()));
        Assert.All(chains.SelectMany(Steps), s => AssertValidOn(s, "2022-06-01"));
        Assert.All(chains.SelectMany(Steps), s => Assert.NotEmpty(s["sources"]!.AsArray()));
    }

    [SkippableFact]
    public async Task WhoControls_FollowsTheChangeOfControlOfOperoseHealth()
    {
        var after = await ChainsAsync("whoControls", AtMedics, "2024-06-01");

        Assert.Equal(["t20-pioneer-midco", "t20-osprey-midco", "operose-health", AtMedics], Ids(Assert.Single(after)));
        // Before the sale, the PSC register's holding LLP (seed/money/companies, BODS) controlled it; and N E L CSU's T7
        // award (seed/money/contracts, 2020-01-01 to 2024-03-31) is a CONTRACT chain to it.
        var before = await ChainsAsync("whoControls", AtMedics, "2020-06-01");
        Assert.Equal(2, before.Count);
        Assert.Equal([.. Money.SpendFile.BodsOwners("05057581", new DateOnly(2020, 6, 1)), AtMedics], Ids(Assert.Single(before, c => Ids(c)[0] != "0DJ")));
        Assert.Equal(["0DJ", "contract:ocds-26cf3497-62d5-473d-9005-373e51cbe004", AtMedics], Ids(Assert.Single(before, c => Ids(c)[0] == "0DJ")));
    }

    [SkippableFact]
    public async Task WhoControls_WithoutADate_EveryChainHasACommonPeriodInsideEveryStep()
    {
        var chains = await ChainsAsync("whoControls", AtMedicsPracticesCommissionedIn("QMJ").First(), null);

        Assert.True(chains.Count >= 3, $"only {chains.Count} chains");
        Assert.All(chains, chain =>
        {
            var (from, to) = (Date(chain["validFrom"]), Date(chain["validTo"]) ?? DateOnly.MaxValue);
            Assert.True(from is null || from <= to);
            Assert.All(Steps(chain), s =>
            {
                Assert.True(Date(s["validFrom"]) is not { } stepFrom || from is { } f && stepFrom <= f);
                Assert.True((Date(s["validTo"]) ?? DateOnly.MaxValue) >= to);
            });
        });
        Assert.Contains(chains, c => Ids(c)[0] == "centene-corporation");
        Assert.Contains(chains, c => Ids(c)[0] == "t20-pioneer-midco");
    }

    [SkippableFact]
    public async Task ControlledBy_Centene_ReachesEveryAtMedicsPractice()
    {
        var open = OpenOn("2022-06-01");
        var expected = Curated("relationships.csv").Where(r => r["type"] == "OPERATED_BY" && r["to"] == AtMedics && open.Contains(r["from"])).Select(r => r["from"]).Order().ToList();

        var data = await Client.QueryAsync("""
            { controlledBy(id: "centene-corporation", asOf: "2022-06-01", nodeKinds: [GP_PRACTICE]) { length controller { id } controlled { id } } }
            """);

        var chains = data["controlledBy"]!.AsArray();
        Assert.Equal(expected, chains.Select(c => c!["controlled"]!["id"]!.GetValue<string>()).Order());
        Assert.All(chains, c => Assert.Equal(4, c!["length"]!.GetValue<int>()));
    }

    [SkippableFact]
    public async Task PrivatisationPaths_FromNorthCentralLondon_RunThroughAtMedicsToCentene()
    {
        var practices = AtMedicsPracticesCommissionedIn("QMJ");

        var data = await Client.QueryAsync($$"""
            { privatisationPaths(from: "QMJ", asOf: "2022-06-01", first: 20) { length firstPrivateIndex firstPrivate { id sector } nodes { id sector } validFrom validTo {{StepFields}} } }
            """);

        var paths = data["privatisationPaths"]!.AsArray().Select(p => p!).ToList();
        Assert.All(paths, p =>
        {
            var nodes = p["nodes"]!.AsArray();
            var first = p["firstPrivateIndex"]!.GetValue<int>();
            Assert.Equal("QMJ", nodes[0]!["id"]!.GetValue<string>());
            Assert.Equal("PRIVATE", nodes[first]!["sector"]!.GetValue<string>());
            Assert.All(nodes.Take(first), n => Assert.NotEqual("PRIVATE", n!["sector"]!.GetValue<string>()));
            Assert.All(Steps(p).Skip(first), s => Assert.Equal("OWNED_BY", s["type"]!.GetValue<string>()));
            Assert.All(Steps(p), s => AssertValidOn(s, "2022-06-01"));
        });
        var viaAtMedics = paths.Where(p => p["firstPrivate"]!["id"]!.GetValue<string>() == AtMedics).ToList();
        Assert.Equal(practices, viaAtMedics.Select(p => Ids(p)[2]).Order());
        Assert.All(viaAtMedics, p => Assert.Equal("centene-corporation", Ids(p)[^1]));
        Assert.Equal(paths.Select(p => p["length"]!.GetValue<int>()).Order(), paths.Select(p => p["length"]!.GetValue<int>()));
    }

    [SkippableTheory]
    [InlineData("RX1", "RTG", "2023-01-01")]
    [InlineData("centene-corporation", "QT1", null)]
    [InlineData("F83056", "A81001", "2022-06-01")]
    [InlineData("00L", "W2U3Z", null)]
    public async Task Connections_AreTheShortestPathsAnIndependentSearchFinds(string from, string to, string? asOf)
    {
        var (distance, shortestCount) = IndependentShortest(from, to, asOf);

        var data = await Client.QueryAsync($$"""
            query($from: ID!, $to: ID!, $asOf: Date) { connections(from: $from, to: $to, asOf: $asOf, first: 20) { length nodes { id } validFrom validTo {{StepFields}} } }
            """, new { from, to, asOf });

        var paths = data["connections"]!.AsArray().Select(p => p!).ToList();
        Assert.NotEmpty(paths);
        Assert.Equal(distance, paths[0]["length"]!.GetValue<int>());
        if (asOf is not null)
        {
            Assert.Equal(Math.Min(shortestCount, 20), paths.Count(p => p["length"]!.GetValue<int>() == distance));
        }

        Assert.Equal(paths.Select(p => p["length"]!.GetValue<int>()).Order(), paths.Select(p => p["length"]!.GetValue<int>()));
        Assert.All(paths, p =>
        {
            var ids = Ids(p);
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal((from, to), (ids[0], ids[^1]));
            Assert.True(ids.Count - 1 <= 8);
            var steps = Steps(p).ToList();
            for (var i = 0; i < steps.Count; i++)
            {
                Assert.Equal((ids[i], ids[i + 1]), (steps[i]["from"]!["id"]!.GetValue<string>(), steps[i]["to"]!["id"]!.GetValue<string>()));
                if (asOf is not null)
                {
                    AssertValidOn(steps[i], asOf);
                }
            }
        });
        Assert.Equal(paths.Count, paths.Select(p => string.Join(',', Steps(p).Select(s => s.ToJsonString()))).Distinct().Count());
    }

    [SkippableFact]
    public async Task Lineage_OfNorthWestLondon_HasTheEightCcgsBeforeAndTheIcbAfter()
    {
        var data = await Client.QueryAsync("""
            { lineage(id: "W2U3Z") { organisation { id } predecessors { organisation { id } date depth } successors { organisation { id } date depth } } }
            """);

        var lineage = data["lineage"]!;
        Assert.Equal(8, lineage["predecessors"]!.AsArray().Count);
        Assert.All(lineage["predecessors"]!.AsArray(), p => Assert.Equal(("2021-04-01", 1), (p!["date"]!.GetValue<string>(), p["depth"]!.GetValue<int>())));
        var successor = Assert.Single(lineage["successors"]!.AsArray())!;
        Assert.Equal("2022-07-01", successor["date"]!.GetValue<string>());

        var brent = await Client.QueryAsync("""{ lineage(id: "07P") { successors { organisation { id } depth } } }""");
        Assert.Equal([("W2U3Z", 1), (successor["organisation"]!["id"]!.GetValue<string>(), 2)],
            brent["lineage"]!["successors"]!.AsArray().Select(s => (s!["organisation"]!["id"]!.GetValue<string>(), s["depth"]!.GetValue<int>())));
    }

    [SkippableFact]
    public async Task Stats_WithinAnIcs_CountItsCcgsAndPracticesAndThePracticesRunByAtMedics()
    {
        var expectedCcgs = OfficialFile.Read("sicbl23_icb23_nhser23_apr2023.csv").Count(r => r["ICB23CDH"] == "QMJ");

        var data = await Client.QueryAsync("""
            { stats(within: "QMJ", asOf: "2023-06-01") { total byKind { kind count } commissioning { ics { id } providers bySector { sector count } privateShare operatedByPrivate } } }
            """);

        var stats = data["stats"]!;
        var byKind = stats["byKind"]!.AsArray().ToDictionary(k => k!["kind"]!.GetValue<string>(), k => k!["count"]!.GetValue<int>());
        Assert.Equal(expectedCcgs, byKind["CCG"]);
        Assert.True(byKind["GP_PRACTICE"] > 100);
        Assert.Equal(byKind.Values.Sum(), stats["total"]!.GetValue<int>());
        var ncl = Assert.Single(stats["commissioning"]!.AsArray())!;
        Assert.Equal(AtMedicsPracticesCommissionedIn("QMJ").Count, ncl["operatedByPrivate"]!.GetValue<int>());
        Assert.Equal(ncl["providers"]!.GetValue<int>(), ncl["bySector"]!.AsArray().Sum(s => s!["count"]!.GetValue<int>()));
    }

    [SkippableTheory]
    [InlineData("""{ connections(from: "RX1", to: "RTG", maxHops: 11) { length } }""", "LIMIT_EXCEEDED")]
    [InlineData("""{ privatisationPaths(from: "QMJ", first: 101) { length } }""", "LIMIT_EXCEEDED")]
    [InlineData("""{ whoControls(id: "F83056", maxHops: 1) { length } }""", "LIMIT_EXCEEDED")]
    [InlineData("""{ whoControls(id: "NOPE1") { length } }""", "NOT_FOUND")]
    [InlineData("""{ connections(from: "RX1", to: "NOPE1") { length } }""", "NOT_FOUND")]
    [InlineData("""{ connections(from: "RX1", to: "RX1") { length } }""", "INVALID_ARGUMENT")]
    [InlineData("""{ controlledBy(id: "QT1", maxHops: 0) { length } }""", "INVALID_ARGUMENT")]
    [InlineData("""{ lineage(id: "NOPE1") { successors { depth } } }""", "NOT_FOUND")]
    public async Task Bounds_AndUnknownIds_AreErrorsWithACode(string query, string code)
    {
        var (_, errors) = await Client.FailAsync(query);

        Assert.Equal(code, errors[0]!.Code());
    }

    private async Task<List<JsonNode>> ChainsAsync(string field, string id, string? asOf)
    {
        var data = await Client.QueryAsync($$"""
            query($id: ID!, $asOf: Date) { {{field}}(id: $id, asOf: $asOf) { length nodes { id } validFrom validTo {{StepFields}} } }
            """, new { id, asOf });
        return [.. data[field]!.AsArray().Select(c => c!)];
    }

    /// <summary>AT Medics practices (curated) commissioned on 2022-06-01 by a CCG PART_OF the ICS, per the SQLite file.</summary>
    private List<string> AtMedicsPracticesCommissionedIn(string ics)
    {
        var operated = Curated("relationships.csv").Where(r => r["type"] == "OPERATED_BY" && r["to"] == AtMedics).Select(r => r["from"]).ToHashSet();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT DISTINCT c.from_id FROM relationships c JOIN relationships p ON p.from_id = c.to_id
            WHERE c.type = 'COMMISSIONED_BY' AND p.type = 'PART_OF' AND p.to_id = $ics
              AND c.valid_from <= '2022-06-01' AND '2022-06-01' <= c.valid_to AND p.valid_from <= '2022-06-01' AND '2022-06-01' <= p.valid_to
            """;
        command.Parameters.AddWithValue("$ics", ics);
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            if (operated.Contains(reader.GetString(0)))
            {
                result.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(result);
        return [.. result.Order()];
    }

    /// <summary>Breadth-first search over the relationships table, ignoring direction: the distance and the number of shortest paths (counting parallel relationships).</summary>
    private (int Distance, long Count) IndependentShortest(string from, string to, string? asOf)
    {
        var adjacency = new Dictionary<string, List<string>>();
        using (var connection = Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT r.from_id, r.to_id FROM relationships r JOIN nodes a ON a.id = r.from_id JOIN nodes b ON b.id = r.to_id
                WHERE $asOf IS NULL OR (r.valid_from <= $asOf AND $asOf <= r.valid_to AND a.valid_from <= $asOf AND $asOf <= a.valid_to AND b.valid_from <= $asOf AND $asOf <= b.valid_to)
                """;
            command.Parameters.AddWithValue("$asOf", (object?)asOf ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var (a, b) = (reader.GetString(0), reader.GetString(1));
                (adjacency.TryGetValue(a, out var la) ? la : adjacency[a] = []).Add(b);
                (adjacency.TryGetValue(b, out var lb) ? lb : adjacency[b] = []).Add(a);
            }
        }

        var distance = new Dictionary<string, int> { [from] = 0 };
        var count = new Dictionary<string, long> { [from] = 1 };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var node))
        {
            foreach (var next in adjacency.GetValueOrDefault(node) ?? [])
            {
                if (!distance.TryGetValue(next, out var d))
                {
                    distance[next] = distance[node] + 1;
                    count[next] = count[node];
                    queue.Enqueue(next);
                }
                else if (d == distance[node] + 1)
                {
                    count[next] += count[node];
                }
            }
        }

        return (distance[to], count[to]);
    }

    private HashSet<string> OpenOn(string date)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM nodes WHERE valid_from <= $date AND $date <= valid_to";
        command.Parameters.AddWithValue("$date", date);
        using var reader = command.ExecuteReader();
        var result = new HashSet<string>();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={store.OracleDatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static void AssertValidOn(JsonNode step, string date)
    {
        var day = DateOnly.Parse(date);
        Assert.True(Date(step["validFrom"]) is not { } from || from <= day, $"step starts after {date}: {step.ToJsonString()}");
        Assert.True(Date(step["validTo"]) is not { } to || to >= day, $"step ends before {date}: {step.ToJsonString()}");
    }

    private static DateOnly? Date(JsonNode? value) => value is null ? null : DateOnly.Parse(value.GetValue<string>());

    private static List<string> Ids(JsonNode path) => [.. path["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];

    private static IEnumerable<JsonNode> Steps(JsonNode path) => path["steps"]!.AsArray().Select(s => s!);

    private static List<Dictionary<string, string>> Curated(string name) => OfficialFile.Read(Path.Combine("..", "curated", name));
}

/// <summary>The scenarios on the embedded store, plus what only the embedded store can show.</summary>
public sealed class InvestigationQueryTests(SeededApp seeded) : InvestigationQueryScenarios(seeded), IClassFixture<SeededApp>
{
    [Fact]
    public async Task TraversalTimeout_CancelsTheSearchAndSaysSo()
    {
        await using var app = new OrgGraphApp(("GraphQL:TraversalTimeout", "00:00:00.001"));
        File.Copy(seeded.OracleDatabasePath, app.DatabasePath);
        var client = await app.ReadyClientAsync();

        var (_, errors) = await client.FailAsync("""{ connections(from: "A81001", to: "Y02974", first: 100, maxHops: 10) { length } }""");

        Assert.Equal("TIMEOUT", errors[0]!.Code());
    }
}

/// <summary>The scenarios on Neo4j (skipped unless ORGGRAPH_TEST_NEO4J_URI is set).</summary>
public sealed class InvestigationQueryOnNeo4jTests(Neo4jSeededApp neo4j) : InvestigationQueryScenarios(neo4j), IClassFixture<Neo4jSeededApp>;
