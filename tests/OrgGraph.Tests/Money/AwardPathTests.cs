using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Importing;
using OrgGraph.Storage;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// Award values and money ranking of privatisation paths, on a small synthetic graph imported through the project's CSV
/// format (the seed's award notices carry no amount): a buyer commissions three contracts, each AWARDED_TO a supplier with
/// the property contract of award notices (<c>amount</c>, <c>currency</c>), and paid one supplier in two months (PAID).
/// Every expected figure below is read from the rows written here.
/// </summary>
public sealed class AwardPathTests : IAsyncLifetime
{
    private const decimal Small = 1_000_000m, Large = 5_000_000.50m, Foreign = 9_000_000m;
    private const decimal March = 120.25m, April = 80.25m;

    private readonly OrgGraphApp _app = new(("Seed:OnStartup", "false"));
    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-awards-").FullName;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await _app.ReadyClientAsync();
        string Amount(decimal value, string currency) => $"\"{{\"\"amount\"\":{value.ToString(CultureInfo.InvariantCulture)},\"\"currency\"\":\"\"{currency}\"\"}}\"";
        string Paid(decimal total) => $"\"{{\"\"total\"\":{total.ToString(CultureInfo.InvariantCulture)},\"\"count\"\":1,\"\"granularity\"\":\"\"OVER_THRESHOLD\"\"}}\"";
        File.WriteAllLines(Path.Combine(_work, "sources.csv"), ["id,title", "test-awards,Synthetic award notices (test fixture)", "test-spend,Synthetic spend file (test fixture)"]);
        File.WriteAllLines(Path.Combine(_work, "nodes.csv"),
        [
            "id,name,kind,sector,sources",
            "test-buyer,Test buyer,ICS,PUBLIC,test-awards",
            "contract:ocds-small,Small award,CONTRACT,PUBLIC,test-awards",
            "contract:ocds-large,Large award,CONTRACT,PUBLIC,test-awards",
            "contract:ocds-foreign,Award in euros,CONTRACT,PUBLIC,test-awards",
            "test-small,Small supplier,COMPANY,PRIVATE,test-awards",
            "test-large,Large supplier,COMPANY,PRIVATE,test-awards",
            "test-parent,Parent of the large supplier,COMPANY,PRIVATE,test-awards",
            "test-foreign,Supplier paid in euros,COMPANY,PRIVATE,test-awards",
        ]);
        File.WriteAllLines(Path.Combine(_work, "relationships.csv"),
        [
            "type,from,to,valid_from,valid_to,sources,properties",
            "COMMISSIONED_BY,contract:ocds-small,test-buyer,2023-01-01,,test-awards,",
            "COMMISSIONED_BY,contract:ocds-large,test-buyer,2023-01-01,,test-awards,",
            "COMMISSIONED_BY,contract:ocds-foreign,test-buyer,2023-01-01,,test-awards,",
            $"AWARDED_TO,contract:ocds-small,test-small,2023-01-01,,test-awards,{Amount(Small, "GBP")}",
            $"AWARDED_TO,contract:ocds-large,test-large,2023-01-01,,test-awards,{Amount(Large, "GBP")}",
            $"AWARDED_TO,contract:ocds-foreign,test-foreign,2023-01-01,,test-awards,{Amount(Foreign, "EUR")}",
            "OWNED_BY,test-large,test-parent,2023-01-01,,test-awards,\"{\"\"share\"\":100}\"",
            $"PAID,test-buyer,test-foreign,2024-03-01,2024-03-31,test-spend,{Paid(March)}",
            $"PAID,test-buyer,test-foreign,2024-04-01,2024-04-30,test-spend,{Paid(April)}",
        ]);
        await new CsvImporter(_app.Services.GetRequiredService<IGraphStore>()).ImportAsync(_work, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task PrivatisationPaths_ByMoney_LargestAwardFirst_AwardValueOnlyInGbp()
    {
        var byLength = await PathsAsync("orderBy: LENGTH");
        var byMoney = await PathsAsync("orderBy: MONEY");

        // Shortest first: the two two-step paths, then the one up to the large supplier's parent.
        Assert.Equal(["test-foreign", "test-small", "test-parent"], byLength.Select(p => p.Last));
        // By money: the largest award first although its path is longest; no award value in euros, so it ranks last.
        Assert.Equal(["test-parent", "test-small", "test-foreign"], byMoney.Select(p => p.Last));
        Assert.Equal([Large, Small, null], byMoney.Select(p => p.AwardValue));
        Assert.All(byMoney, p => Assert.Null(p.Paid));
        var award = byMoney[0].Steps.Single(s => s.Type == "AWARDED_TO");
        Assert.Equal((Large, "AWARD_VALUE", "CONTRACT"), (award.Amount, award.AmountKind, award.ControlKind));
    }

    [Fact]
    public async Task PrivatisationPaths_WithPayments_MoneyPaidRanksBeforeAwardValues_OverTheWindowsMonths()
    {
        var all = await PathsAsync("orderBy: MONEY, includePayments: true");
        var march = await PathsAsync("""orderBy: MONEY, includePayments: true, paidFrom: "2024-03-01", paidTo: "2024-03-31" """);

        Assert.Equal(["test-foreign", "test-parent", "test-small", "test-foreign"], all.Select(p => p.Last));
        Assert.Equal([March + April, null, null, null], all.Select(p => p.Paid));
        var paid = Assert.Single(all[0].Steps);
        Assert.Equal(("PAID", March + April, "PAID", (string?)null), (paid.Type, paid.Amount, paid.AmountKind, paid.ControlKind));
        Assert.Equal(("2024-03-01", "2024-04-30"), (paid.ValidFrom, paid.ValidTo));
        Assert.Equal(["test-spend"], paid.Sources);
        Assert.Equal(March, march[0].Paid);
        Assert.Equal(("2024-03-01", "2024-03-31"), (march[0].Steps[0].ValidFrom, march[0].Steps[0].ValidTo));
    }

    private sealed record Step(string Type, decimal? Amount, string? AmountKind, string? ControlKind, string ValidFrom, string? ValidTo, List<string> Sources);

    private sealed record PathView(string Last, decimal? Paid, decimal? AwardValue, List<Step> Steps);

    private async Task<List<PathView>> PathsAsync(string arguments)
    {
        var data = await _client.QueryAsync($$"""
            { privatisationPaths(from: "test-buyer", {{arguments}}) { paid awardValue nodes { id }
                steps { type amount amountKind controlKind validFrom validTo sources { id } } } }
            """);
        return [.. data["privatisationPaths"]!.AsArray().Select(p => new PathView(
            p!["nodes"]!.AsArray()[^1]!["id"]!.GetValue<string>(),
            p["paid"]?.GetValue<decimal>(),
            p["awardValue"]?.GetValue<decimal>(),
            [.. p["steps"]!.AsArray().Select(s => new Step(s!["type"]!.GetValue<string>(), s["amount"]?.GetValue<decimal>(), s["amountKind"]?.GetValue<string>(),
                s["controlKind"]?.GetValue<string>(), s["validFrom"]!.GetValue<string>(), s["validTo"]?.GetValue<string>(),
                [.. s["sources"]!.AsArray().Select(x => x!["id"]!.GetValue<string>())]))]))];
    }
}
