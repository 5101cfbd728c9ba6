using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.GraphQL;

/// <summary>The read queries on the real seed, with expectations computed from the official files.</summary>
public abstract class OrganisationQueryScenarios(IStoreFixture store)
{
    private HttpClient Client => store.Client;

    [SkippableFact]
    public async Task Organisation_QT1_AnswersWithRealNameKindAndRegion()
    {
        var expected = OfficialFile.Read("sicbl23_icb23_nhser23_apr2023.csv").First(r => r["ICB23CDH"] == "QT1");

        var data = await Client.QueryAsync("""{ organisation(id: "QT1") { name kind parent { id name } } }""");

        var org = data["organisation"]!;
        Assert.Equal(expected["ICB23NM"], org["name"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal("ICS", org["kind"]!.GetValue<string>());
        Assert.Equal("Y60", org["parent"]!["id"]!.GetValue<string>());
        Assert.Equal(expected["NHSER23NM"], org["parent"]!["name"]!.GetValue<string>(), ignoreCase: true);
    }

    [SkippableTheory]
    [InlineData("E54000014")] // the ONS code in 2021
    [InlineData("E54000060")] // the ONS code from July 2022
    public async Task Organisation_ByOnsCode_ResolvesToTheOdsKeyedNode(string onsCode)
    {
        var data = await Client.QueryAsync("query($id: ID!) { organisation(id: $id) { id aliases { value scheme validFrom validTo } } }", new { id = onsCode });

        Assert.Equal("QT1", data["organisation"]!["id"]!.GetValue<string>());
        Assert.Contains(data["organisation"]!["aliases"]!.AsArray(), a => a!["value"]!.GetValue<string>() == onsCode && a["scheme"]!.GetValue<string>() == "ONS");
    }

    [SkippableFact]
    public async Task Organisation_UnknownId_IsNull()
    {
        var data = await Client.QueryAsync("""{ organisation(id: "NOPE999") { id } }""");

        Assert.Null(data["organisation"]);
    }

    [SkippableTheory]
    [InlineData("2021-06-01", "ccg21_stp21_nhser21_apr2021.csv", "STP21CDH", "CCG21CDH")]
    [InlineData("2023-06-01", "sicbl23_icb23_nhser23_apr2023.csv", "ICB23CDH", "SICBL23CDH")]
    public async Task Organisations_WithinAsOf_MatchTheOnsLookupOfThatDate(string asOf, string file, string parentColumn, string childColumn)
    {
        var expected = OfficialFile.Read(file).Where(r => r[parentColumn] == "QT1").Select(r => r[childColumn]).Order().ToList();

        var data = await Client.QueryAsync("""
            query($asOf: Date) { organisations(kind: [CCG], within: "QT1", asOf: $asOf, first: 100) { totalCount nodes { id } } }
            """, new { asOf });

        var ids = data["organisations"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(expected, ids);
        Assert.Equal(expected.Count, data["organisations"]!["totalCount"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task Bassetlaw_ParentChangesWithTheDate()
    {
        var data = await Client.QueryAsync("""
            { organisation(id: "02Q") { before: parent(asOf: "2021-06-01") { id } after: parent(asOf: "2022-08-01") { id } } }
            """);

        Assert.Equal("QF7", data["organisation"]!["before"]!["id"]!.GetValue<string>());
        Assert.Equal("QT1", data["organisation"]!["after"]!["id"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Organisations_Paging_VisitsEveryNodeOnce()
    {
        const string Query = """
            query($after: String) { organisations(kind: [TRUST], first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }
            """;
        var seen = new List<string>();
        string? after = null;
        int total;
        do
        {
            var page = (await Client.QueryAsync(Query, new { after }))["organisations"]!;
            total = page["totalCount"]!.GetValue<int>();
            seen.AddRange(page["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()));
            after = page["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? page["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        }
        while (after is not null);

        Assert.True(total > 7, "the seed should hold more than one page of trusts");
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [SkippableFact]
    public async Task Organisations_FilterBySectorAndName()
    {
        var data = await Client.QueryAsync("""{ organisations(nameContains: "foundation", kind: [TRUST], sector: PUBLIC) { totalCount nodes { name sector } } }""");

        var nodes = data["organisations"]!["nodes"]!.AsArray();
        Assert.NotEmpty(nodes);
        Assert.All(nodes, n => Assert.Contains("FOUNDATION", n!["name"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase));
    }

    [SkippableFact]
    public async Task Search_FindsByWordsAndRanksAnExactCodeFirst()
    {
        var data = await Client.QueryAsync("""{ words: search(text: "nottingham nottinghamshire") { id } code: search(text: "E54000014", first: 5) { id } }""");

        Assert.Contains(data["words"]!.AsArray(), n => n!["id"]!.GetValue<string>() == "QT1");
        Assert.Equal("QT1", data["code"]![0]!["id"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Search_QuerySyntaxInText_IsTreatedAsWords()
    {
        var data = await Client.QueryAsync("""{ search(text: "\"nottingham OR * NEAR(") { id } }""");

        Assert.NotNull(data["search"]);
    }

    [SkippableFact]
    public async Task Children_OfQT1_AreItsCcgsOnTheDate()
    {
        var expected = OfficialFile.Read("ccg21_stp21_nhser21_apr2021.csv").Where(r => r["STP21CDH"] == "QT1").Select(r => r["CCG21CDH"]).Order();

        var data = await Client.QueryAsync("""{ organisation(id: "QT1") { children(kind: [CCG], asOf: "2021-06-01") { id } } }""");

        Assert.Equal(expected, data["organisation"]!["children"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).Order());
    }

    [SkippableFact]
    public async Task Relationships_CarryDatesSourcesAndConfidence()
    {
        var data = await Client.QueryAsync("""
            { organisation(id: "QT1") { relationships(types: [PART_OF], direction: OUTGOING) { totalCount nodes { type from { id } to { id } validFrom validTo confidence sources { title url licence } } } } }
            """);

        var relationships = data["organisation"]!["relationships"]!["nodes"]!.AsArray();
        Assert.NotEmpty(relationships);
        Assert.All(relationships, r =>
        {
            Assert.Equal("QT1", r!["from"]!["id"]!.GetValue<string>());
            Assert.NotEmpty(r["sources"]!.AsArray());
            Assert.Equal("OFFICIAL", r["confidence"]!.GetValue<string>());
        });
    }

    [SkippableFact]
    public async Task Relationships_Paging_Works()
    {
        var first = await Client.QueryAsync("""{ organisation(id: "QT1") { relationships(first: 2) { totalCount pageInfo { endCursor hasNextPage } nodes { type from { id } to { id } validFrom } } } }""");
        var connection = first["organisation"]!["relationships"]!;
        var cursor = connection["pageInfo"]!["endCursor"]!.GetValue<string>();

        var second = await Client.QueryAsync("query($after: String) { organisation(id: \"QT1\") { relationships(first: 2, after: $after) { nodes { type from { id } to { id } validFrom } } } }", new { after = cursor });

        Assert.True(connection["totalCount"]!.GetValue<int>() > 2);
        Assert.True(connection["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        var firstIds = connection["nodes"]!.AsArray().Select(n => n!.ToJsonString());
        Assert.Empty(second["organisation"]!["relationships"]!["nodes"]!.AsArray().Select(n => n!.ToJsonString()).Intersect(firstIds));
    }

    [SkippableFact]
    public async Task Within_UnknownId_IsNotFound()
    {
        var (_, errors) = await Client.FailAsync("""{ organisations(within: "NOPE999") { totalCount } }""");

        Assert.Equal("NOT_FOUND", errors[0]!.Code());
    }

    [SkippableFact]
    public async Task First_OverTheLimit_IsLimitExceeded()
    {
        var (_, errors) = await Client.FailAsync("""{ organisations(first: 100000) { totalCount } }""");

        Assert.Equal("LIMIT_EXCEEDED", errors[0]!.Code());
    }

    [SkippableFact]
    public async Task After_NotACursor_IsInvalidArgument()
    {
        var (_, errors) = await Client.FailAsync("""{ organisations(after: "not-a-cursor") { totalCount } }""");

        Assert.Equal("INVALID_ARGUMENT", errors[0]!.Code());
    }
}

/// <summary>The scenarios on the embedded store.</summary>
public sealed class OrganisationQueryTests(SeededApp seeded) : OrganisationQueryScenarios(seeded), IClassFixture<SeededApp>;

/// <summary>The scenarios on Neo4j (skipped unless ORGGRAPH_TEST_NEO4J_URI is set).</summary>
public sealed class OrganisationQueryOnNeo4jTests(Neo4jSeededApp neo4j) : OrganisationQueryScenarios(neo4j), IClassFixture<Neo4jSeededApp>;
