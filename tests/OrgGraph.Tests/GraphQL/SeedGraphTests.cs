using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.GraphQL;

/// <summary>
/// The full seed through the API: the dated structure, the merger waves and the curated private-sector facts.
/// Expectations come from the official files in seed/official and the curated CSVs, read independently.
/// </summary>
public abstract class SeedGraphScenarios(IStoreFixture store)
{
    private HttpClient Client => store.Client;

    [SkippableTheory]
    [InlineData("2019-04-01", "ccg19_stp19_apr2019.csv", "CCG19CDH", 191)]
    [InlineData("2020-04-01", "ccg20_stp20_apr2020.csv", "CCG20CDH", 135)]
    [InlineData("2021-04-01", "ccg21_stp21_nhser21_apr2021.csv", "CCG21CDH", 106)]
    [InlineData("2022-07-01", "sicbl22_icb22_nhser22_jul2022.csv", "SICBL22CDH", 106)]
    public async Task Ccgs_OnEachDate_AreThoseOfThatYearsLookup(string asOf, string file, string column, int published)
    {
        var expected = OfficialFile.Read(file).Select(r => r[column]).Distinct().Order().ToList();

        var ids = await IdsAsync("query($asOf: Date) { organisations(kind: [CCG], asOf: $asOf, first: 1000) { nodes { id } } }", new { asOf });

        Assert.Equal(published, expected.Count);
        Assert.Equal(expected, ids);
    }

    [SkippableTheory]
    [InlineData("2019-06-01", "STP", 42)] // 42 STP19CD codes in the April 2019 lookup, two of them replaced in 2020
    [InlineData("2021-06-01", "STP", 42)]
    [InlineData("2022-06-30", "STP", 42)]
    [InlineData("2022-07-01", "ICB", 42)]
    [InlineData("2024-12-01", "ICB", 42)]
    public async Task Ics_HasItsPhaseOnEachDate(string asOf, string role, int count)
    {
        var data = await Client.QueryAsync("""
            query($asOf: Date) { organisations(kind: [ICS], asOf: $asOf, first: 100) { nodes { id roles { role validFrom validTo } } } }
            """, new { asOf });

        var date = DateOnly.Parse(asOf);
        var phases = data["organisations"]!["nodes"]!.AsArray()
            .Select(n => n!["roles"]!.AsArray().Single(r => Covers(r!, date))!["role"]!.GetValue<string>())
            .ToList();
        Assert.Equal(count, phases.Count(p => p == role));
        Assert.Equal(phases.Count, phases.Count(p => p == role));
    }

    [SkippableFact]
    public async Task Regions_AreKeyedOnOdsYCodes_WithEveryOnsCodeAsAnAlias()
    {
        var lookup2021 = OfficialFile.Read("ccg21_stp21_nhser21_apr2021.csv").Select(r => (r["NHSER21CDH"], r["NHSER21CD"])).Distinct().ToList();
        var lookup2022 = OfficialFile.Read("sicbl22_icb22_nhser22_jul2022.csv").Select(r => (r["NHSER22CDH"], r["NHSER22CD"])).Distinct().ToList();

        var data = await Client.QueryAsync("""{ organisations(kind: [REGION], asOf: "2023-01-01") { nodes { id aliases { value scheme } } } }""");

        var regions = data["organisations"]!["nodes"]!.AsArray().ToDictionary(n => n!["id"]!.GetValue<string>(), n => n!["aliases"]!.AsArray().Select(a => a!["value"]!.GetValue<string>()).ToList());
        Assert.Equal(lookup2022.Select(p => p.Item1).Order(), regions.Keys.Order());
        Assert.Equal(7, regions.Count);
        Assert.All(lookup2021.Concat(lookup2022), p => Assert.Contains(p.Item2, regions[p.Item1]));
        Assert.NotEqual(lookup2021.Single(p => p.Item1 == "Y60").Item2, lookup2022.Single(p => p.Item1 == "Y60").Item2);
    }

    [SkippableFact]
    public async Task Mergers2021_EveryNewCcgIsSucceededToByTheCcgsWhoseAreasItTookOver()
    {
        // Independent of the deriver: LSOA by LSOA, which 2020 CCG's area went to which new 2021 CCG.
        var ccg2020 = OfficialFile.Read("lsoa11_ccg20_lad20_apr2020.csv").ToDictionary(r => r["LSOA11CD"], r => r["CCG20CDH"]);
        var codes2020 = ccg2020.Values.ToHashSet();
        var expected = OfficialFile.Read("lsoa11_ccg21_lad21_apr2021.csv")
            .Where(r => !codes2020.Contains(r["CCG21CDH"]))
            .GroupBy(r => r["CCG21CDH"])
            .ToDictionary(g => g.Key, g => g.Select(r => ccg2020[r["LSOA11CD"]]).Distinct().Order().ToList());

        Assert.NotEmpty(expected);
        foreach (var (ccg, predecessors) in expected)
        {
            var data = await Client.QueryAsync("""
                query($id: ID!) { organisation(id: $id) { validFrom relationships(types: [SUCCEEDED_BY], direction: INCOMING) { nodes { from { id validTo } validFrom sources { id } } } } }
                """, new { id = ccg });

            var edges = data["organisation"]!["relationships"]!["nodes"]!.AsArray();
            Assert.Equal("2021-04-01", data["organisation"]!["validFrom"]!.GetValue<string>());
            Assert.Equal(predecessors, edges.Select(e => e!["from"]!["id"]!.GetValue<string>()).Order().ToList());
            Assert.All(edges, e =>
            {
                Assert.Equal("2021-04-01", e!["validFrom"]!.GetValue<string>());
                Assert.Equal("2021-03-31", e["from"]!["validTo"]!.GetValue<string>());
                Assert.NotEmpty(e["sources"]!.AsArray());
            });
        }
    }

    [SkippableFact]
    public async Task NorthWestLondon_TheEightCcgsOfTheNotesMergedIntoW2U3Z()
    {
        // notes/facts_providers_frameworks_mergers.md row 23.
        string[] names = ["Brent", "Central London", "Ealing", "Hammersmith and Fulham", "Harrow", "Hillingdon", "Hounslow", "West London"];

        var data = await Client.QueryAsync("""
            { organisation(id: "E38000256") { id relationships(types: [SUCCEEDED_BY], direction: INCOMING, asOf: "2021-04-01") { nodes { from { name } } } } }
            """);

        Assert.Equal("W2U3Z", data["organisation"]!["id"]!.GetValue<string>());
        var merged = data["organisation"]!["relationships"]!["nodes"]!.AsArray().Select(e => e!["from"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(8, merged.Count);
        Assert.All(names, n => Assert.Single(merged, m => m.Contains(n, StringComparison.OrdinalIgnoreCase)));
    }

    [SkippableFact]
    public async Task Mergers2020_EveryCcgClosedOn31March2020HasASuccessorOpenedTheNextDay()
    {
        var open2019 = OfficialFile.Read("ccg19_stp19_apr2019.csv").Select(r => r["CCG19CDH"]).ToHashSet();
        var open2020 = OfficialFile.Read("ccg20_stp20_apr2020.csv").Select(r => r["CCG20CDH"]).ToHashSet();
        var closed = open2019.Except(open2020).Order().ToList();

        var data = await Client.QueryAsync("""
            { organisations(kind: [CCG], first: 300) { nodes { id validTo relationships(types: [SUCCEEDED_BY], direction: OUTGOING, first: 5) { nodes { to { id validFrom } validFrom } } } } }
            """);

        var byId = data["organisations"]!["nodes"]!.AsArray().ToDictionary(n => n!["id"]!.GetValue<string>());
        Assert.Equal(74, closed.Count);
        Assert.All(closed, id =>
        {
            Assert.Equal("2020-03-31", byId[id]!["validTo"]!.GetValue<string>());
            var successor = Assert.Single(byId[id]!["relationships"]!["nodes"]!.AsArray(), e => e!["validFrom"]!.GetValue<string>() == "2020-04-01")!;
            Assert.Contains(successor["to"]!["id"]!.GetValue<string>(), open2020);
        });
    }

    [SkippableFact]
    public async Task Icbs_SucceedEveryCcgOn1July2022_AndTheCcgContinuesAsASubIcbLocation()
    {
        var expected = OfficialFile.Read("sicbl22_icb22_nhser22_jul2022.csv").ToDictionary(r => r["SICBL22CDH"], r => r["ICB22CDH"]);

        var data = await Client.QueryAsync("""
            { organisations(kind: [CCG], asOf: "2022-07-01", first: 200) { nodes { id roles { role validFrom } relationships(types: [SUCCEEDED_BY], direction: OUTGOING, asOf: "2022-07-01", first: 5) { nodes { to { id kind } } } } } }
            """);

        var nodes = data["organisations"]!["nodes"]!.AsArray();
        Assert.Equal(expected.Count, nodes.Count);
        Assert.All(nodes, n =>
        {
            var id = n!["id"]!.GetValue<string>();
            var icb = Assert.Single(n["relationships"]!["nodes"]!.AsArray())!["to"]!;
            Assert.Equal(expected[id], icb["id"]!.GetValue<string>());
            Assert.Contains(n["roles"]!.AsArray(), r => r!["role"]!.GetValue<string>() == "SUB_ICB_LOCATION" && r["validFrom"]!.GetValue<string>() == "2022-07-01");
        });
    }

    [SkippableTheory]
    [InlineData("RX1")] // an NHS trust
    [InlineData("RTG")] // a foundation trust
    public async Task Trusts_HaveTheFoundationFlagAndTheIcsOfTheOdsFile(string code)
    {
        var row = OfficialFile.ReadHeadless("etr_2025-12.csv").Single(r => r[0] == code);
        var foundation = row[1].EndsWith("NHS FOUNDATION TRUST", StringComparison.Ordinal);

        var data = await Client.QueryAsync("""
            query($id: ID!) { organisation(id: $id) { kind name roles { role validTo } parent { id } properties { key value } } }
            """, new { id = code });

        var trust = data["organisation"]!;
        Assert.Equal("TRUST", trust["kind"]!.GetValue<string>());
        Assert.Equal(row[1], trust["name"]!.GetValue<string>(), ignoreCase: true);
        Assert.Contains(trust["roles"]!.AsArray(), r => r!["role"]!.GetValue<string>() == (foundation ? "FOUNDATION_TRUST" : "NHS_TRUST") && r["validTo"] is null);
        Assert.Contains(trust["properties"]!.AsArray(), p => p!["key"]!.GetValue<string>() == "foundationTrust" && p["value"]!.GetValue<string>() == (foundation ? "true" : "false"));
        Assert.Equal(row[3], trust["parent"]!["id"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Practices_HaveTheirPcnAndCommissionerFromTheJanuary2022Map()
    {
        var row = OfficialFile.Read("gp_reg_pat_prac_map_2022-01.csv").First(r => r["PCN_CODE"] != "U");

        var data = await Client.QueryAsync("""
            query($id: ID!) { organisation(id: $id) { kind relationships(direction: OUTGOING, asOf: "2022-01-01") { nodes { type to { id } } } } }
            """, new { id = row["PRACTICE_CODE"] });

        var edges = data["organisation"]!["relationships"]!["nodes"]!.AsArray().Select(e => (e!["type"]!.GetValue<string>(), e["to"]!["id"]!.GetValue<string>())).ToList();
        Assert.Equal("GP_PRACTICE", data["organisation"]!["kind"]!.GetValue<string>());
        Assert.Contains(("MEMBER_OF", row["PCN_CODE"]), edges);
        Assert.Contains(("COMMISSIONED_BY", row["CCG_CODE"]), edges);
    }

    [SkippableFact]
    public async Task AtMedics_OwnershipChainChangesWithTheDate()
    {
        Assert.Equal(["operose-health", "mh-services-international-uk", "centene-corporation"], await OwnersAsync("CH:05057581", "2022-06-01"));
        Assert.Equal(["operose-health", "t20-osprey-midco", "t20-pioneer-midco"], await OwnersAsync("CH:05057581", "2024-06-01"));
        // Before the sale, the PSC register's holding LLP (seed/money/companies, BODS).
        Assert.Equal(Money.SpendFile.BodsOwners("05057581", new DateOnly(2020, 6, 1)), await OwnersAsync("CH:05057581", "2020-06-01"));
    }

    [SkippableFact]
    public async Task AtMedics_OperatesTheCuratedPracticesMatchedToOdsCodes()
    {
        var expected = Curated("relationships.csv").Where(r => r["type"] == "OPERATED_BY" && r["to"] == "CH:05057581").ToList();

        var data = await Client.QueryAsync("""
            { organisation(id: "CH:05057581") { relationships(types: [OPERATED_BY], direction: INCOMING) { nodes { from { id kind } confidence sources { url } } } } }
            """);

        var edges = data["organisation"]!["relationships"]!["nodes"]!.AsArray();
        Assert.Equal(expected.Select(r => r["from"]).Order(), edges.Select(e => e!["from"]!["id"]!.GetValue<string>()).Order());
        Assert.All(edges, e =>
        {
            Assert.Equal("GP_PRACTICE", e!["from"]!["kind"]!.GetValue<string>());
            Assert.All(e["sources"]!.AsArray(), s => Assert.StartsWith("http", s!["url"]!.GetValue<string>()));
            Assert.NotEmpty(e["sources"]!.AsArray());
        });
    }

    [SkippableFact]
    public async Task ContestedFacts_KeepEveryVersionWithItsSource()
    {
        var data = await Client.QueryAsync("""
            { organisation(id: "the-practice-group") { relationships(types: [OWNED_BY], direction: OUTGOING) { nodes { to { id } validFrom sources { id } } } } }
            """);

        var versions = data["organisation"]!["relationships"]!["nodes"]!.AsArray().Where(e => e!["to"]!["id"]!.GetValue<string>() == "centene-corporation").ToList();
        Assert.Equal(["2016-01-01", "2017-01-01"], versions.Select(v => v!["validFrom"]!.GetValue<string>()).Order());
        Assert.NotEqual(versions[0]!["sources"]!.ToJsonString(), versions[1]!["sources"]!.ToJsonString());
    }

    [SkippableFact]
    public async Task Hssf_IsRunByNhsEngland_WithTheNamedSuppliers()
    {
        var suppliers = Curated("relationships.csv").Where(r => r["type"] == "SUPPLIER_ON" && r["to"] == "hssf").Select(r => r["from"]).Order().ToList();

        var data = await Client.QueryAsync("""
            { organisation(id: "hssf") { kind relationships(direction: INCOMING) { nodes { type from { id } confidence } } } }
            """);

        var edges = data["organisation"]!["relationships"]!["nodes"]!.AsArray();
        Assert.Equal("FRAMEWORK", data["organisation"]!["kind"]!.GetValue<string>());
        Assert.Contains(edges, e => e!["type"]!.GetValue<string>() == "RUNS" && e["from"]!["id"]!.GetValue<string>() == "nhs-england");
        Assert.Equal(suppliers, edges.Where(e => e!["type"]!.GetValue<string>() == "SUPPLIER_ON").Select(e => e!["from"]!["id"]!.GetValue<string>()).Order());
    }

    [SkippableFact]
    public async Task Iapt_NonNhsProvidersAreCommissionedWithTheServiceAndPeriod()
    {
        var providers = await IdsAsync("{ organisations(kind: [COMPANY, CHARITY], first: 500) { nodes { id } } }", new { });
        var edges = new List<JsonNode>();
        foreach (var id in providers)
        {
            var data = await Client.QueryAsync("""
                query($id: ID!) { organisation(id: $id) { relationships(types: [COMMISSIONED_BY], direction: OUTGOING) { nodes { to { kind } validFrom validTo properties { key value } } } } }
                """, new { id });
            edges.AddRange(data["organisation"]!["relationships"]!["nodes"]!.AsArray().Select(e => e!));
        }

        Assert.True(edges.Count >= 100, $"only {edges.Count} IAPT commissioning edges to non-NHS providers");
        Assert.All(edges, e =>
        {
            // A CCG, or NHS England's national commissioning hub (13Q, kind OTHER).
            Assert.Contains(e["to"]!["kind"]!.GetValue<string>(), new[] { "CCG", "OTHER" });
            Assert.NotNull(e["validFrom"]);
            Assert.Contains(e["properties"]!.AsArray(), p => p!["key"]!.GetValue<string>() == "service" && p["value"]!.GetValue<string>().Contains("IAPT"));
        });
    }

    private async Task<List<string>> OwnersAsync(string id, string asOf)
    {
        var chain = new List<string>();
        while (true)
        {
            var data = await Client.QueryAsync("""
                query($id: ID!, $asOf: Date) { organisation(id: $id) { relationships(types: [OWNED_BY], direction: OUTGOING, asOf: $asOf) { nodes { to { id } properties { key value } } } } }
                """, new { id, asOf });
            // The controlling owner: an interest that is not a minority stake.
            var owner = data["organisation"]!["relationships"]!["nodes"]!.AsArray()
                .FirstOrDefault(e => !e!["properties"]!.AsArray().Any(p => p!["key"]!.GetValue<string>() == "share" && double.Parse(p["value"]!.GetValue<string>()) <= 50));
            if (owner is null)
            {
                return chain;
            }

            id = owner["to"]!["id"]!.GetValue<string>();
            chain.Add(id);
        }
    }

    private async Task<List<string>> IdsAsync(string query, object variables)
    {
        var data = await Client.QueryAsync(query, variables);
        return data["organisations"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).Order().ToList();
    }

    private static bool Covers(JsonNode period, DateOnly date) =>
        (period["validFrom"] is not { } from || DateOnly.Parse(from.GetValue<string>()) <= date) &&
        (period["validTo"] is not { } to || DateOnly.Parse(to.GetValue<string>()) >= date);

    private static List<Dictionary<string, string>> Curated(string name) => OfficialFile.Read(Path.Combine("..", "curated", name));
}

/// <summary>The scenarios on the embedded store.</summary>
public sealed class SeedGraphTests(SeededApp seeded) : SeedGraphScenarios(seeded), IClassFixture<SeededApp>;

/// <summary>The scenarios on Neo4j (skipped unless ORGGRAPH_TEST_NEO4J_URI is set).</summary>
public sealed class SeedGraphOnNeo4jTests(Neo4jSeededApp neo4j) : SeedGraphScenarios(neo4j), IClassFixture<Neo4jSeededApp>;
