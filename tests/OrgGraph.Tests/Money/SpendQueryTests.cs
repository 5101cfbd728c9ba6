using System.Globalization;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// Payments and spend totals on the seeded store through HTTP and GraphQL. Every expected figure is computed here from
/// the spend files themselves (read with the framework's CSV parser), never from the importer.
/// </summary>
public sealed class SpendQueryTests(SeededApp app) : IClassFixture<SeededApp>
{
    private const string Gloucestershire = "icb_payments_jhau/gloucestershire_icb_payments_2022-07_2025-09.csv";
    private const string GsttApril = "gstt_2020-21_raw/GUYS 01 - April.csv";

    private const string CoverageFields = "coverage { comparable granularities warnings bodies { body { id } months granularities lines } }";

    [Fact]
    public async Task Payments_GloucestershireIcbInAMonth_TotalAndLinesEqualTheCsv()
    {
        var expected = SpendFile.Read("spend/" + Gloucestershire).Where(r => r.Fields["Payment Date"].StartsWith("2023-01", StringComparison.Ordinal)).ToList();

        var data = await app.Client.QueryAsync($$"""
            { payments(from: "QR1", period: { from: "2023-01-01", to: "2023-01-31" }, first: 3) {
                total totalCount hasNextPage {{CoverageFields}}
                lines { date amount supplierName file line source { id url } } } }
            """);

        var payments = data["payments"]!;
        Assert.Equal(expected.Sum(r => SpendFile.Pence(r.Fields["Amount"])) / 100m, payments["total"]!.GetValue<decimal>());
        Assert.Equal(expected.Count, payments["totalCount"]!.GetValue<int>());
        Assert.True(payments["hasNextPage"]!.GetValue<bool>());
        var body = Assert.Single(payments["coverage"]!["bodies"]!.AsArray());
        Assert.Equal("QR1", body!["body"]!["id"]!.GetValue<string>());
        Assert.Equal(["2023-01"], body["months"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["MONTHLY_AGGREGATE"], body["granularities"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.True(payments["coverage"]!["comparable"]!.GetValue<bool>());
        foreach (var line in payments["lines"]!.AsArray())
        {
            var row = Assert.Single(expected, r => r.Line == line!["line"]!.GetValue<int>());
            Assert.Equal(SpendFile.Pence(row.Fields["Amount"]) / 100m, line!["amount"]!.GetValue<decimal>());
            Assert.Equal("money/spend/" + Gloucestershire, line["file"]!.GetValue<string>());
            Assert.Equal("spend-glos-icb-2022-2025", line["source"]!["id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Spend_BySupplier_AddsUpToTheCsvAndToThePaidRelationships()
    {
        var rows = SpendFile.Read("spend/" + Gloucestershire).Where(r => r.Fields["Payment Date"].StartsWith("2024-03", StringComparison.Ordinal)).ToList();

        var data = await app.Client.QueryAsync($$"""
            { spend(within: "QR1", from: "2024-03-01", to: "2024-03-31", groupBy: SUPPLIER, first: 1000) { total groupCount groups { organisation { id } total lines } {{CoverageFields}} }
              organisation(id: "QR1") { relationships(types: [PAID], direction: OUTGOING, asOf: "2024-03-15", first: 100) { totalCount nodes { to { id } properties { key value } } } } }
            """);

        var spend = data["spend"]!;
        var total = rows.Sum(r => SpendFile.Pence(r.Fields["Amount"])) / 100m;
        Assert.Equal(total, spend["total"]!.GetValue<decimal>());
        Assert.Equal(rows.Count, spend["groups"]!.AsArray().Sum(g => g!["lines"]!.GetValue<int>()));
        Assert.Equal(total, spend["groups"]!.AsArray().Sum(g => g!["total"]!.GetValue<decimal>()));
        // One PAID relationship per supplier in that month, each holding the same total as the supplier's group.
        var paid = data["organisation"]!["relationships"]!;
        Assert.Equal(spend["groupCount"]!.GetValue<int>(), paid["totalCount"]!.GetValue<int>());
        var bySupplier = spend["groups"]!.AsArray().ToDictionary(g => g!["organisation"]!["id"]!.GetValue<string>(), g => g!["total"]!.GetValue<decimal>());
        foreach (var relationship in paid["nodes"]!.AsArray())
        {
            var properties = relationship!["properties"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
            Assert.Equal(bySupplier[relationship["to"]!["id"]!.GetValue<string>()], decimal.Parse(properties["total"], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Payments_GsttApril_StandardLayoutWithDayFirstDates_TotalEqualsTheCsv()
    {
        var rows = SpendFile.Read("spend/" + GsttApril);
        var april = rows.Where(r => DateOnly.ParseExact(r.Fields["Date of payment"], "dd/MM/yyyy", CultureInfo.InvariantCulture).Month == 4).ToList();

        var data = await app.Client.QueryAsync("""
            { payments(from: "RJ1", period: { from: "2020-04-01", to: "2020-04-30" }, first: 1) { total totalCount lines { expenseType expenseArea transactionNumber granularity } } }
            """);

        Assert.Equal(april.Sum(r => SpendFile.Pence(r.Fields["amount"])) / 100m, data["payments"]!["total"]!.GetValue<decimal>());
        Assert.Equal(april.Count, data["payments"]!["totalCount"]!.GetValue<int>());
        var line = data["payments"]!["lines"]![0]!;
        Assert.Equal("INVOICE_LINES", line["granularity"]!.GetValue<string>());
        Assert.StartsWith("(", line["expenseType"]!.GetValue<string>());
        Assert.StartsWith("id:", line["transactionNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task Payments_ToASupplierPaidUnderDifferentGranularities_CoverageSaysTheTotalIsNotComparable()
    {
        var data = await app.Client.QueryAsync($$"""
            { payments(to: "R1H", first: 1) { totalCount {{CoverageFields}} } }
            """);

        var coverage = data["payments"]!["coverage"]!;
        Assert.False(coverage["comparable"]!.GetValue<bool>());
        Assert.Contains(coverage["warnings"]!.AsArray(), w => w!.GetValue<string>().StartsWith("adds series of different granularity", StringComparison.Ordinal));
        Assert.True(coverage["granularities"]!.AsArray().Count > 1);
    }

    [Fact]
    public async Task Spend_SomersetOverItsGap_CoverageNamesTheMissingMonthsAndBothBodies()
    {
        var rows = SpendFile.Read("spend/icb_payments_jhau/somerset_ccg_icb_payments_2021-04_2025-08.csv");
        var months = rows.Select(r => r.Fields["Payment Date"][..7]).Distinct().Order(StringComparer.Ordinal).ToList();

        var data = await app.Client.QueryAsync($$"""
            { a: spend(within: "QSL", groupBy: SECTOR) { total {{CoverageFields}} }
              b: spend(within: "11X", groupBy: SECTOR) { total } }
            """);

        // QSL takes in the CCG (11X) that preceded it: both bodies' lines, as the file gives them.
        Assert.Equal(rows.Sum(r => SpendFile.Pence(r.Fields["Amount"])) / 100m, data["a"]!["total"]!.GetValue<decimal>());
        Assert.Equal(rows.Where(r => r.Fields["ICB"] == "NHS Somerset CCG").Sum(r => SpendFile.Pence(r.Fields["Amount"])) / 100m, data["b"]!["total"]!.GetValue<decimal>());
        var bodies = data["a"]!["coverage"]!["bodies"]!.AsArray();
        Assert.Equal(months, bodies.SelectMany(b => b!["months"]!.AsArray().Select(m => m!.GetValue<string>())).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(data["a"]!["coverage"]!["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("2021-08..2022-03", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SpendShare_ByFinancialYear_SectorsAddUpToTheTotal()
    {
        var data = await app.Client.QueryAsync("""
            { spendShare(id: "QR1") { year total private public thirdSector unknown privateShare coverage { comparable } } }
            """);

        var years = data["spendShare"]!.AsArray();
        Assert.Equal(["2022/23", "2023/24", "2024/25", "2025/26"], years.Select(y => y!["year"]!.GetValue<string>()));
        foreach (var year in years)
        {
            var parts = new[] { "private", "public", "thirdSector", "unknown" }.Sum(k => year![k]!.GetValue<decimal>());
            Assert.Equal(year!["total"]!.GetValue<decimal>(), parts);
            Assert.InRange(year["privateShare"]!.GetValue<double>(), 0, 1);
        }
    }

    [Fact]
    public async Task Payments_WithoutFromOrTo_IsAnInvalidArgument()
    {
        var (_, errors) = await app.Client.FailAsync("{ payments { totalCount } }");

        Assert.Equal("INVALID_ARGUMENT", errors[0]!.Code());
    }
}
