using System.Globalization;
using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// privatisationPaths with PAID steps on the seeded store, through HTTP and GraphQL. Amounts are checked against the spend
/// files themselves: the payment lines a step stands for are read back from their CSV, by file and line.
/// </summary>
public sealed class MoneyPathTests(SeededApp app) : IClassFixture<SeededApp>
{
    /// <summary>What a list of paths is compared on (the complexity limit keeps long lists to a few fields).</summary>
    private const string PathFields = "length paid validFrom validTo nodes { id } steps { type to { id } amount }";
    private const string StepDetail = "steps { from { id } to { id sector } type controlKind amount amountKind validFrom validTo properties { key value } sources { id } }";
    private const string YearFrom = "2023-04-01", YearTo = "2024-03-31";
    private const string AtMedics = "CH:05057581";

    [Fact]
    public async Task PrivatisationPaths_GloucestershireByMoneyOverAYear_TopPaidStepEqualsTheSpendFileLinesItStandsFor()
    {
        var data = await app.Client.QueryAsync($$"""
            { all: privatisationPaths(from: "QR1", includePayments: true, orderBy: MONEY, paidFrom: "{{YearFrom}}", paidTo: "{{YearTo}}", first: 25) { paid }
              top: privatisationPaths(from: "QR1", includePayments: true, orderBy: MONEY, paidFrom: "{{YearFrom}}", paidTo: "{{YearTo}}", first: 3) { paid {{StepDetail}} } }
            """);

        var paths = data["all"]!.AsArray().Select(p => p!).ToList();
        Assert.NotEmpty(paths);
        // Most money first: `paid` never rises down the list (a path without a PAID step counts 0).
        var paid = paths.Select(p => p["paid"]?.GetValue<decimal>() ?? 0).ToList();
        Assert.Equal(paid.OrderDescending(), paid);

        var top3 = data["top"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(paid.Take(3), top3.Select(p => p["paid"]?.GetValue<decimal>() ?? 0));
        foreach (var step in top3.SelectMany(p => p["steps"]!.AsArray()).Where(s => s!["type"]!.GetValue<string>() == "PAID"))
        {
            Assert.Equal("PAID", step!["amountKind"]!.GetValue<string>());
            Assert.Null(step["controlKind"]);
            // The months counted lie in the window, and every one cites a spend file.
            Assert.InRange(step["validFrom"]!.GetValue<string>(), YearFrom, YearTo);
            Assert.InRange(step["validTo"]!.GetValue<string>(), YearFrom, YearTo);
            Assert.NotEmpty(step["sources"]!.AsArray());
            Assert.All(step["sources"]!.AsArray(), s => Assert.StartsWith("spend-", s!["id"]!.GetValue<string>()));
        }

        var top = top3[0];
        var paidStep = Assert.Single(top["steps"]!.AsArray(), s => s!["type"]!.GetValue<string>() == "PAID")!;
        Assert.Equal("PRIVATE", paidStep["to"]!["sector"]!.GetValue<string>());
        var (payer, supplier) = (paidStep["from"]!["id"]!.GetValue<string>(), paidStep["to"]!["id"]!.GetValue<string>());

        // The lines from the payer to the supplier in the window, read back from their files: their sum is the step's amount,
        // and no line of the files in the window under one of those supplier spellings is missing.
        var lines = await app.Client.QueryAsync("query($f: ID!, $t: ID!, $a: Date, $b: Date) { payments(from: $f, to: $t, period: { from: $a, to: $b }, first: 1000) { totalCount lines { file line supplierName } } }",
            new { f = payer, t = supplier, a = YearFrom, b = YearTo });
        var found = lines["payments"]!["lines"]!.AsArray().Select(l => (File: l!["file"]!.GetValue<string>(), Line: l["line"]!.GetValue<int>(), Supplier: l["supplierName"]!.GetValue<string>())).ToList();
        Assert.Equal(found.Count, lines["payments"]!["totalCount"]!.GetValue<int>());
        var spellings = found.Select(l => l.Supplier).ToHashSet(StringComparer.Ordinal);
        var expected = 0L;
        foreach (var file in found.Select(l => l.File).Distinct())
        {
            var rows = SpendFile.Read(file["money/".Length..]);
            var inWindow = rows.Where(r => string.CompareOrdinal(r.Fields["Payment Date"], YearFrom) >= 0 && string.CompareOrdinal(r.Fields["Payment Date"], YearTo) <= 0 &&
                spellings.Contains(r.Fields["Supplier"])).ToList();
            Assert.Equal(inWindow.Select(r => r.Line).Order(), found.Where(l => l.File == file).Select(l => l.Line).Order());
            expected += inWindow.Sum(r => SpendFile.Pence(r.Fields["Amount"]));
        }

        Assert.True(expected > 0);
        Assert.Equal(expected / 100m, paidStep["amount"]!.GetValue<decimal>());
        Assert.Equal(expected / 100m, top["paid"]!.GetValue<decimal>());
        var properties = Properties(paidStep);
        Assert.Equal(expected / 100m, decimal.Parse(properties["total"], CultureInfo.InvariantCulture));
        Assert.Equal(found.Count, int.Parse(properties["count"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PrivatisationPaths_WithoutPayments_HaveNoPaidStep_AndPaymentsOnlyAddPathsWithOne()
    {
        // 93C (NHS North Central London CCG, now a sub-ICB location) commissions practices AT Medics ran, and paid AT Medics itself.
        var plain = await PathsAsync("""from: "93C", first: 100""");
        var explicitly = await PathsAsync("""from: "93C", includePayments: false, orderBy: LENGTH, first: 100""");
        var paying = await PathsAsync("""from: "93C", includePayments: true, paidFrom: "2020-04-01", paidTo: "2021-03-31", first: 100""");

        Assert.NotEmpty(plain);
        Assert.Equal(plain.ToJsonString(), explicitly.ToJsonString());
        Assert.DoesNotContain(plain.SelectMany(p => p!["steps"]!.AsArray()), s => s!["type"]!.GetValue<string>() == "PAID");
        Assert.All(plain, p => Assert.Null(p!["paid"]));

        Assert.True(paying.Count < 100, "the comparison below needs every path");
        var withPayment = paying.Where(p => p!["steps"]!.AsArray().Any(s => s!["type"]!.GetValue<string>() == "PAID")).ToList();
        Assert.NotEmpty(withPayment);
        // Paths without a payment are exactly those of the query without payments, in the same order.
        Assert.Equal(plain.Select(p => p!.ToJsonString()), paying.Except(withPayment).Select(p => p!.ToJsonString()));
    }

    [Fact]
    public async Task PrivatisationPaths_AsOf_TheSupplierIsOwnedAsOfThatDate_AndTheMoneyIsTheWindows()
    {
        var sale = SpendFile.CuratedOwnershipStart(AtMedics, "operose-health");
        var (before, after) = (sale.AddMonths(-2), sale.AddMonths(2));
        var total = (await app.Client.QueryAsync($$"""{ payments(from: "93C", to: "{{AtMedics}}", first: 1) { total } }"""))["payments"]!["total"]!.GetValue<decimal>();

        async Task<JsonNode> PaidToAtMedicsAsync(DateOnly asOf) => Assert.Single(
            await PathsAsync($"""from: "93C", asOf: "{Iso(asOf)}", includePayments: true, orderBy: MONEY, first: 100"""),
            p => p!["steps"]!.AsArray().Any(s => s!["type"]!.GetValue<string>() == "PAID" && s["to"]!["id"]!.GetValue<string>() == AtMedics))!;
        var early = await PaidToAtMedicsAsync(before);
        var late = await PaidToAtMedicsAsync(after);

        // Before the sale AT Medics' owner is the one its PSC statements name; after it, the curated buyer, Operose Health.
        var owners = SpendFile.BodsOwners("05057581", before);
        Assert.NotEmpty(owners);
        Assert.Contains(early["nodes"]!.AsArray(), n => owners.Contains(n!["id"]!.GetValue<string>()));
        Assert.DoesNotContain(early["nodes"]!.AsArray(), n => n!["id"]!.GetValue<string>() == "operose-health");
        Assert.Contains(late["nodes"]!.AsArray(), n => n!["id"]!.GetValue<string>() == "operose-health");
        Assert.DoesNotContain(late["nodes"]!.AsArray(), n => owners.Contains(n!["id"]!.GetValue<string>()));
        // On a date the money still counts every month of the window (here all of them), and the path's period holds the date.
        Assert.Equal(total, early["paid"]!.GetValue<decimal>());
        Assert.Equal(total, late["paid"]!.GetValue<decimal>());
        Assert.InRange(Iso(before), early["validFrom"]?.GetValue<string>() ?? "", early["validTo"]?.GetValue<string>() ?? "9999-12-31");
        Assert.InRange(Iso(after), late["validFrom"]?.GetValue<string>() ?? "", late["validTo"]?.GetValue<string>() ?? "9999-12-31");
    }

    [Fact]
    public async Task PrivatisationPaths_AWindowWithoutPayments_GivesNoPaidStep()
    {
        var none = await PathsAsync("""from: "QR1", includePayments: true, orderBy: MONEY, paidFrom: "2000-01-01", paidTo: "2000-12-31", first: 100""");
        var plain = await PathsAsync("""from: "QR1", first: 100""");

        Assert.DoesNotContain(none.SelectMany(p => p!["steps"]!.AsArray()), s => s!["type"]!.GetValue<string>() == "PAID");
        Assert.Equal(plain.ToJsonString(), none.ToJsonString());
    }

    [Theory]
    [InlineData("""{ privatisationPaths(from: "QR1", paidFrom: "2023-01-01") { length } }""", "INVALID_ARGUMENT")]
    [InlineData("""{ privatisationPaths(from: "QR1", includePayments: true, paidFrom: "2024-01-01", paidTo: "2023-01-01") { length } }""", "INVALID_ARGUMENT")]
    public async Task PrivatisationPaths_BadWindow_IsRefusedWithACode(string query, string code)
    {
        var (_, errors) = await app.Client.FailAsync(query);

        Assert.Equal(code, errors[0]!.Code());
    }

    /// <summary>privatisationPaths with these arguments, each path with <see cref="PathFields"/>.</summary>
    private async Task<JsonArray> PathsAsync(string arguments) =>
        (await app.Client.QueryAsync($"{{ privatisationPaths({arguments}) {{ {PathFields} }} }}"))["privatisationPaths"]!.AsArray();

    private static Dictionary<string, string> Properties(JsonNode step) =>
        step["properties"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
