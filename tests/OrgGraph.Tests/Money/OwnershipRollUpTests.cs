using System.Globalization;
using System.Text.Json;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// Ownership statements (BODS) and the roll-up of spend to ultimate owners, on the seed through HTTP and GraphQL.
/// AT Medics Ltd (05057581) is paid by London CCGs in 2020/21; the PSC register has it owned by AT Medics Holdings LLP
/// from 2019-09-01, and the curated facts have it sold to Operose Health (Centene) on 2021-02-10.
/// </summary>
public sealed class OwnershipRollUpTests(SeededApp app) : IClassFixture<SeededApp>
{
    private const string AtMedics = "CH:05057581";
    private const string Holdings = "CH:OC428198";

    [Fact]
    public async Task OwnedBy_FromBods_CarriesInterestsShareAndStartDate_PeopleOnlyByNameAndInterest()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(SpendFile.PathOf("companies/GB-COH_05057581_bods.json")));
        var statements = file.RootElement.EnumerateArray().ToList();
        var toLlp = statements.Single(s => s.GetProperty("statementType").GetString() == "ownershipOrControlStatement" &&
            s.GetProperty("interestedParty").TryGetProperty("describedByEntityStatement", out _));
        var interests = toLlp.GetProperty("interests").EnumerateArray().ToList();

        var data = await app.Client.QueryAsync($$"""
            { organisation(id: "{{AtMedics}}") { relationships(types: [OWNED_BY], direction: OUTGOING) { nodes { to { id name } validFrom validTo properties { key value } sources { id } } } } }
            """);

        var owned = data["organisation"]!["relationships"]!["nodes"]!.AsArray().Single(r => r!["to"]!["id"]!.GetValue<string>() == Holdings)!;
        Assert.Equal(interests.Select(i => i.GetProperty("startDate").GetString()).Min(), owned["validFrom"]!.GetValue<string>());
        // The snapshot leaves the interest open; the curated sale to Operose Health ends it the day before, and says so.
        Assert.Equal(CuratedSaleDate().AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), owned["validTo"]!.GetValue<string>());
        Assert.Contains(owned["sources"]!.AsArray(), s => s!["id"]!.GetValue<string>() == "bods-gb-coh-05057581");
        var properties = owned["properties"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
        Assert.Equal(interests.Min(i => i.GetProperty("share").GetProperty("minimum").GetDouble()), double.Parse(properties["share"], CultureInfo.InvariantCulture));
        Assert.Contains("operose-health", properties["endBasis"]);
        foreach (var interest in interests)
        {
            Assert.Contains(interest.GetProperty("details").GetString()!, properties["interests"]);
        }

        // Persons are never nodes: no node carries a PSC person's name, and no birth date travels anywhere.
        var person = statements.First(s => s.GetProperty("statementType").GetString() == "personStatement");
        var name = person.GetProperty("names")[0].GetProperty("fullName").GetString()!;
        var found = await app.Client.QueryAsync("query($t: String!) { search(text: $t) { id } }", new { t = name });
        Assert.Empty(found["search"]!.AsArray());
    }

    [Fact]
    public async Task Spend_ByUltimateOwner_ChangesWithTheOwnershipDate()
    {
        var sale = CuratedSaleDate();
        var lines = await LinesAsync("93C", AtMedics);
        Assert.Contains(lines, l => l.Date < sale);
        Assert.Contains(lines, l => l.Date >= sale);
        var before = lines.Where(l => l.Date < sale).Sum(l => l.Amount);
        var after = lines.Where(l => l.Date >= sale).Sum(l => l.Amount);

        var data = await app.Client.QueryAsync("""
            { early: spend(within: "93C", from: "2020-04-01", to: "2021-02-09", groupBy: ULTIMATE_OWNER, first: 1000) { groups { organisation { id } total } }
              late: spend(within: "93C", from: "2021-02-10", to: "2021-03-31", groupBy: ULTIMATE_OWNER, first: 1000) { groups { organisation { id } total } }
              lateBySupplier: spend(within: "93C", from: "2021-02-10", to: "2021-03-31", groupBy: SUPPLIER, first: 1000) { groups { organisation { id } total } } }
            """);

        decimal Total(string query, string id) => data[query]!["groups"]!.AsArray().Where(g => g!["organisation"]!["id"]!.GetValue<string>() == id).Sum(g => g!["total"]!.GetValue<decimal>());
        Assert.Equal(before, Total("early", Holdings));
        Assert.Equal(0, Total("late", Holdings));
        Assert.Equal(0, Total("late", AtMedics));
        // After the sale AT Medics rolls up through Operose Health to Centene, with anything else Centene owned that was paid.
        Assert.Equal(after, Total("lateBySupplier", AtMedics));
        Assert.True(Total("late", "centene-corporation") >= after && after > 0);
    }

    [Fact]
    public async Task Payments_ToAtMedics_AreTheNclLinesWhoseSupplierIsTheCompanyItself()
    {
        var rows = SpendFile.Read("spend/london_ccg_trust_2020-21_chpi/NCL.csv")
            .Where(r => string.Join(' ', r.Fields["supplier"].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) is "AT MEDICS LTD" or "AT MEDICS LIMITED" or "AT MEDICS")
            .ToList();

        var lines = await LinesAsync("93C", AtMedics);

        Assert.Equal(rows.Select(r => r.Line).Order(), lines.Select(l => l.Line).Order());
        Assert.Equal(rows.Sum(r => SpendFile.Pence(r.Fields["amount"])) / 100m, lines.Sum(l => l.Amount));
        var resolution = await app.Client.QueryAsync("{ supplierResolutions(method: COMPANY_NUMBER, first: 1000) { supplierKey organisation { id } score evidence } }");
        var match = resolution["supplierResolutions"]!.AsArray().Single(m => m!["supplierKey"]!.GetValue<string>() == "AT MEDICS")!;
        Assert.Equal(AtMedics, match["organisation"]!["id"]!.GetValue<string>());
        Assert.Equal(1.0, match["score"]!.GetValue<double>());
        Assert.Contains("GB-COH_05057581_bods.json", match["evidence"]!.GetValue<string>());
    }

    [Fact]
    public async Task SupplierResolutions_SimilarNamesAreCandidatesNeverMerged()
    {
        var data = await app.Client.QueryAsync("{ supplierResolutions(method: SIMILAR_NAME, first: 50) { supplierKey organisation { id sector } candidate { id } score } }");

        var similar = data["supplierResolutions"]!.AsArray();
        Assert.NotEmpty(similar);
        Assert.All(similar, m =>
        {
            Assert.StartsWith("supplier:", m!["organisation"]!["id"]!.GetValue<string>());
            Assert.Equal("UNKNOWN", m["organisation"]!["sector"]!.GetValue<string>());
            Assert.NotEqual(m["organisation"]!["id"]!.GetValue<string>(), m["candidate"]!["id"]!.GetValue<string>());
            Assert.InRange(m["score"]!.GetValue<double>(), 0.6, 1.0);
        });
    }

    private async Task<List<(DateOnly Date, decimal Amount, int Line)>> LinesAsync(string from, string to)
    {
        var data = await app.Client.QueryAsync("query($f: ID!, $t: ID!) { payments(from: $f, to: $t, first: 1000) { lines { date amount line } } }", new { f = from, t = to });
        return data["payments"]!["lines"]!.AsArray()
            .Select(l => (DateOnly.Parse(l!["date"]!.GetValue<string>(), CultureInfo.InvariantCulture), l["amount"]!.GetValue<decimal>(), l["line"]!.GetValue<int>()))
            .ToList();
    }

    private static DateOnly CuratedSaleDate() => SpendFile.CuratedOwnershipStart(AtMedics, "operose-health");
}
