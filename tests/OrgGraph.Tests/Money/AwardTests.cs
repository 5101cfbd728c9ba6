using System.Text.Json;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// Contract awards (OCDS release packages in seed/money/contracts) on the seed through HTTP and GraphQL: the T7 London APMS
/// award links N E L CSU through its contract to AT Medics, whose owners the PSC register and the curated facts give.
/// Expected values are read from the JSON files here, not from the importer.
/// </summary>
public sealed class AwardTests(SeededApp app) : IClassFixture<SeededApp>
{
    private const string T7 = "contracts/supplier_ids_match/ocds-b5fd17suppliermatch-0989882d-e14e-4afc-af9a-3689f859dbe5.json";
    private const string AtMedics = "CH:05057581";
    private const string Csu = "0DJ";

    private const string AwardFields = """
        contract { id name kind sector properties { key value } } buyer { id } supplier { id name sector } supplierName
        amount currency valueNote sharedWith awardDate periodStart periodEnd procedure identifier noticeId noticeUrl sources { id url licence }
        """;

    [Fact]
    public async Task Awards_T7LondonApms_LinksTheCsuThroughTheContractToAtMedicsWithTheNoticesValueDatesAndNotice()
    {
        var (package, release, award) = Package(T7);
        var uri = package.GetProperty("uri").GetString()!;
        var supplier = release.GetProperty("parties").EnumerateArray().Single(p => p.GetProperty("identifier").TryGetProperty("scheme", out var s) && s.GetString() == "GB-COH");
        var number = supplier.GetProperty("identifier").GetProperty("id").GetString()!;
        Assert.Equal(AtMedics, "CH:" + number);

        var data = await app.Client.QueryAsync($$"""{ awards(supplier: "{{AtMedics}}") { {{AwardFields}} } }""");

        var found = Assert.Single(data["awards"]!.AsArray(), a => a!["contract"]!["id"]!.GetValue<string>() == "contract:ocds-" + award.GetProperty("id").GetString())!;
        Assert.Equal(Csu, found["buyer"]!["id"]!.GetValue<string>());
        Assert.Equal(AtMedics, found["supplier"]!["id"]!.GetValue<string>());
        Assert.Equal(award.GetProperty("value").GetProperty("amount").GetDecimal(), found["amount"]!.GetValue<decimal>());
        Assert.Equal(226185114m, found["amount"]!.GetValue<decimal>());
        Assert.Equal(award.GetProperty("value").GetProperty("currency").GetString(), found["currency"]!.GetValue<string>());
        Assert.Equal("2019-01-31", found["awardDate"]!.GetValue<string>());
        Assert.Equal(award.GetProperty("date").GetString()![..10], found["awardDate"]!.GetValue<string>());
        Assert.Equal(("2020-01-01", "2024-03-31"), (found["periodStart"]!.GetValue<string>(), found["periodEnd"]!.GetValue<string>()));
        Assert.Equal(award.GetProperty("contractPeriod").GetProperty("endDate").GetString()![..10], found["periodEnd"]!.GetValue<string>());
        Assert.Equal(uri, found["noticeUrl"]!.GetValue<string>());
        Assert.Equal(Path.GetFileNameWithoutExtension(new Uri(uri).AbsolutePath), found["noticeId"]!.GetValue<string>());
        Assert.Equal(release.GetProperty("tender").GetProperty("procurementMethodDetails").GetString(), found["procedure"]!.GetValue<string>());
        Assert.Equal($"GB-COH:{number}", found["identifier"]!.GetValue<string>());
        Assert.Equal(award.GetProperty("suppliers").GetArrayLength() - 1, found["sharedWith"]!.GetValue<int>());
        Assert.Null(found["valueNote"]);
        var contract = found["contract"]!;
        Assert.Equal((release.GetProperty("tender").GetProperty("title").GetString(), "CONTRACT", "PUBLIC"),
            (contract["name"]!.GetValue<string>(), contract["kind"]!.GetValue<string>(), contract["sector"]!.GetValue<string>()));
        var properties = contract["properties"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]?.GetValue<string>());
        Assert.Equal(release.GetProperty("ocid").GetString(), properties["ocid"]);
        Assert.Equal(release.GetProperty("buyer").GetProperty("name").GetString(), properties["buyerName"]);
        var source = Assert.Single(found["sources"]!.AsArray())!;
        Assert.Equal((uri, "OGL-2.0"), (source["url"]!.GetValue<string>(), source["licence"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Award_ToAtMedics_ReachesItsOwnersFromTheBuyer_TheRegisterHoldingBeforeTheSaleAndCenteneAfter()
    {
        var data = await app.Client.QueryAsync("""
            { before: privatisationPaths(from: "0DJ", asOf: "2020-06-01", first: 100) { nodes { id } steps { type } }
              after: privatisationPaths(from: "0DJ", asOf: "2022-06-01", first: 100) { nodes { id } steps { type } } }
            """);

        List<string> ViaAtMedics(string query) => data[query]!.AsArray()
            .Select(p => p!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList())
            .Single(ids => ids.Count > 2 && ids[1].StartsWith("contract:ocds-", StringComparison.Ordinal) && ids[2] == AtMedics);

        // Before the 2021 sale: the owner the PSC register gives (AT Medics Holdings LLP, from 2019-09-01).
        Assert.Equal([Csu, ViaAtMedics("before")[1], AtMedics, .. SpendFile.BodsOwners("05057581", new DateOnly(2020, 6, 1))], ViaAtMedics("before"));
        // After it: the curated chain through Operose Health up to Centene Corporation.
        var after = ViaAtMedics("after");
        Assert.Contains("operose-health", after);
        Assert.Equal("centene-corporation", after[^1]);
    }

    [Fact]
    public async Task Awards_ByBuyer_AreEachSupplierOfTheBuyersNotices_WithTheFrameworkValueNoted()
    {
        var wakefield = Directory.GetFiles(SpendFile.PathOf("contracts"), "*.json", SearchOption.AllDirectories)
            .Select(f => Package(Path.GetRelativePath(SpendFile.PathOf(""), f)))
            .Where(p => p.Release.GetProperty("buyer").GetProperty("name").GetString() == "N H S Wakefield Clinical Commissioning Group")
            .ToList();
        Assert.Equal(2, wakefield.Count);

        var data = await app.Client.QueryAsync($$"""{ awards(buyer: "03R") { {{AwardFields}} } }""");

        var awards = data["awards"]!.AsArray().Select(a => a!).ToList();
        Assert.Equal(wakefield.Sum(p => p.Award.GetProperty("suppliers").GetArrayLength()), awards.Count);
        Assert.All(awards, a =>
        {
            Assert.Equal("03R", a["buyer"]!["id"]!.GetValue<string>());
            Assert.Equal(0m, a["amount"]!.GetValue<decimal>());
            Assert.Equal("value 0 as published (framework or not stated)", a["valueNote"]!.GetValue<string>());
        });
        Assert.Equal(
            wakefield.SelectMany(p => p.Award.GetProperty("suppliers").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)).Order(),
            awards.Select(a => a["supplierName"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Awards_FilteredByAwardDate_AndUnknownSupplier_IsNotFound()
    {
        var data = await app.Client.QueryAsync("""{ awards(from: "2020-04-01", to: "2020-04-30", first: 1000) { awardDate contract { id } } all: awards(first: 1000) { awardDate } }""");

        var april = data["awards"]!.AsArray();
        var expected = Directory.GetFiles(SpendFile.PathOf("contracts"), "*.json", SearchOption.AllDirectories)
            .Select(f => Package(Path.GetRelativePath(SpendFile.PathOf(""), f)))
            .Where(p => p.Award.GetProperty("date").GetString()!.StartsWith("2020-04", StringComparison.Ordinal))
            .Sum(p => p.Award.GetProperty("suppliers").GetArrayLength());
        Assert.Equal(expected, april.Count);
        Assert.All(april, a => Assert.StartsWith("2020-04", a!["awardDate"]!.GetValue<string>()));
        Assert.True(data["all"]!.AsArray().Count > april.Count);

        var (_, errors) = await app.Client.FailAsync("""{ awards(supplier: "CH:99999999") { amount } }""");
        Assert.Equal("NOT_FOUND", errors[0]!.Code());
    }

    [Fact]
    public async Task AwardSupplier_WithoutIdentifier_GoesToTheNodeItsSpendSpellingGoesTo()
    {
        // "Softcat plc" (cyber security framework, no identifier) and the spend files' "SOFTCAT LTD" normalise to one name.
        var data = await app.Client.QueryAsync("{ awards(first: 1000) { supplierName identifier supplier { id } } }");
        var award = data["awards"]!.AsArray().Single(a => a!["supplierName"]?.GetValue<string>() == "Softcat plc")!;
        Assert.Null(award["identifier"]);

        var payments = await app.Client.QueryAsync("query($t: ID!) { payments(to: $t, first: 1000) { totalCount lines { supplierName } } }", new { t = award["supplier"]!["id"]!.GetValue<string>() });

        Assert.True(payments["payments"]!["totalCount"]!.GetValue<int>() > 0);
        Assert.All(payments["payments"]!["lines"]!.AsArray(), l => Assert.Contains("SOFTCAT", l!["supplierName"]!.GetValue<string>().ToUpperInvariant()));
    }

    /// <summary>A release package's single release and award, read with System.Text.Json.</summary>
    [Fact]
    public async Task PrivatisationPaths_FromUhcwByMoney_TheLargerOfItsTwoConsultancyAwardsComesFirst()
    {
        // HealthTrust Europe let two consultancy frameworks for UHCW (RKB), each to BDO and KPMG, at different ceilings.
        var values = new[] { "17bab65f-a331-4419-8dcc-2470b694add7", "6ff08beb-a4d5-44db-b968-e5dae78bc3b5" }
            .Select(id => Package($"contracts/supplier_ids_match/ocds-b5fd17suppliermatch-{id}.json"))
            .ToDictionary(p => "contract:ocds-" + p.Award.GetProperty("id").GetString(), p => p.Award.GetProperty("value").GetProperty("amount").GetDecimal());
        Assert.Equal(2, values.Values.Distinct().Count());

        var data = await app.Client.QueryAsync("""
            { privatisationPaths(from: "RKB", orderBy: MONEY, first: 100) { awardValue nodes { id } steps { type amount amountKind } } }
            """);

        var paths = data["privatisationPaths"]!.AsArray().Select(p => (
            Value: p!["awardValue"]?.GetValue<decimal>() ?? 0,
            Contract: p["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).FirstOrDefault(values.ContainsKey),
            Step: p["steps"]!.AsArray().FirstOrDefault(s => s!["type"]!.GetValue<string>() == "AWARDED_TO"))).ToList();
        var viaAwards = paths.Where(p => p.Contract is not null).ToList();
        Assert.Equal(4, viaAwards.Count);
        Assert.All(viaAwards, p => Assert.Equal((values[p.Contract!], values[p.Contract!], "AWARD_VALUE"),
            (p.Value, p.Step!["amount"]!.GetValue<decimal>(), p.Step["amountKind"]!.GetValue<string>())));
        Assert.Equal(values.Values.Max(), paths[0].Value);
        Assert.Equal(paths.Select(p => p.Value).OrderDescending(), paths.Select(p => p.Value));
    }

    internal static (JsonElement Package, JsonElement Release, JsonElement Award) Package(string relative)
    {
        var package = JsonDocument.Parse(File.ReadAllText(SpendFile.PathOf(relative))).RootElement;
        var release = Assert.Single(package.GetProperty("releases").EnumerateArray().ToList());
        return (package, release, Assert.Single(release.GetProperty("awards").EnumerateArray().ToList()));
    }
}
