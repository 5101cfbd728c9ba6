using OrgGraph.Importing;
using OrgGraph.Model;
using OrgGraph.Storage;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// "A user can drop in next month's spend file": a store holding the seed without GSTT's September file, then that
/// file imported on its own (a directory with one manifest row). The paying body and the suppliers come from the store.
/// </summary>
public sealed class NextMonthFileTests : IDisposable
{
    private const string September = "money/spend/gstt_2020-21_raw/GUYS 06 - September.csv";
    private const string HealthcareAtHome = "CH:02759609";

    private readonly string _work = System.IO.Directory.CreateTempSubdirectory("orggraph-next-month-").FullName;

    [Fact]
    public async Task SpendFileImportedAlone_LinesGoToTheStoredBody_AndSuppliersMatchAsInTheWholeSeed()
    {
        var manifest = File.ReadAllLines(Path.Combine(Repo.Seed, "manifest.csv"));
        var row = Assert.Single(manifest, l => l.StartsWith(September + ",", StringComparison.Ordinal));
        var store = new SqliteGraphStore(new SqliteOptions { Path = Path.Combine(_work, "store.db") });
        await store.InitializeAsync(CancellationToken.None);
        var importer = new GraphImporter(store, new CsvImporter(store));
        await importer.ImportAsync(Directory(["official", "curated", "money"], manifest.Where(l => l != row)), CancellationToken.None);
        var earlier = (await store.SupplierMatchesAsync(null, int.MaxValue, CancellationToken.None)).ToDictionary(m => m.SupplierKey);

        var result = await importer.ImportAsync(Directory(["money"], [manifest[0], row]), CancellationToken.None);

        Assert.DoesNotContain(result.Report.Notes, n => n.Contains("no file describes the paying body", StringComparison.Ordinal));
        var csv = SpendFile.Read("spend/gstt_2020-21_raw/GUYS 06 - September.csv");
        var page = await store.PaymentsAsync(new PaymentQuery { From = "RJ1", Start = new DateOnly(2020, 9, 1), End = new DateOnly(2020, 9, 30), First = 1 }, CancellationToken.None);
        Assert.Equal(csv.Sum(r => SpendFile.Pence(r.Fields["amount"])), page.TotalPence);
        Assert.Equal(csv.Count, page.TotalCount);

        // Every supplier name resolves to the node the whole seed, imported at once, gives it (so no second node for a
        // supplier the store already holds); names an earlier file tied to a company number keep that match.
        var template = new SqliteGraphStore(new SqliteOptions { Path = await CopyOfTemplateAsync() });
        await template.InitializeAsync(CancellationToken.None);
        var whole = (await template.SupplierMatchesAsync(null, int.MaxValue, CancellationToken.None)).ToDictionary(m => m.SupplierKey);
        var now = await store.SupplierMatchesAsync(null, int.MaxValue, CancellationToken.None);
        var dropped = now.Where(m => !earlier.TryGetValue(m.SupplierKey, out var e) || e.Lines != m.Lines).ToList();
        Assert.NotEmpty(dropped);
        Assert.All(dropped, m => Assert.Equal(whole[m.SupplierKey].NodeId, m.NodeId));
        Assert.Contains(dropped, m => m.Method == MatchMethod.CompanyNumber && earlier.ContainsKey(m.SupplierKey));

        // A second file for the same month (here: September's Healthcare at Home lines again, under a source of their own)
        // adds to that month's PAID instead of replacing it.
        var supplement = Directory([], [manifest[0], "supplement.csv,spend,2020-09-30,gstt-2020-09-supplement,GSTT September supplement,GSTT,https://example.org/supplement,,OGL-3.0,,RJ1,INVOICE_LINES"]);
        var path = SpendFile.PathOf("spend/gstt_2020-21_raw/GUYS 06 - September.csv");
        File.WriteAllLines(Path.Combine(supplement, "supplement.csv"), File.ReadLines(path).Take(1).Concat(File.ReadLines(path).Where(l => l.Contains(",HEALTHCARE AT HOME LTD,", StringComparison.Ordinal))));
        var september = new PaymentQuery { From = "RJ1", To = HealthcareAtHome, Start = new DateOnly(2020, 9, 1), End = new DateOnly(2020, 9, 30), First = 1 };
        var once = (await store.PaymentsAsync(september, CancellationToken.None)).TotalPence;

        await importer.ImportAsync(supplement, CancellationToken.None);

        var twice = await store.PaymentsAsync(september, CancellationToken.None);
        Assert.Equal(2 * once, twice.TotalPence);
        var paid = (await store.GetRelationshipsAsync([HealthcareAtHome], new RelationshipFilter { Types = [RelationshipType.Paid], Direction = Direction.Incoming, AsOf = new DateOnly(2020, 9, 15) }, CancellationToken.None))[HealthcareAtHome];
        var month = Assert.Single(paid, r => r.From == "RJ1");
        Assert.Equal(twice.TotalPence / 100m, System.Text.Json.Nodes.JsonNode.Parse(month.Properties)!["total"]!.GetValue<decimal>());
        Assert.Equal(["gstt-2020-09-supplement", "spend-gstt-2020-09"], month.SourceIds);
    }

    /// <summary>A directory holding <paramref name="manifest"/> and links to the seed's <paramref name="folders"/>.</summary>
    private string Directory(string[] folders, IEnumerable<string> manifest)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(_work, Guid.NewGuid().ToString("N"))).FullName;
        foreach (var folder in folders)
        {
            System.IO.Directory.CreateSymbolicLink(Path.Combine(directory, folder), Path.Combine(Repo.Seed, folder));
        }

        File.WriteAllLines(Path.Combine(directory, "manifest.csv"), manifest);
        return directory;
    }

    private async Task<string> CopyOfTemplateAsync()
    {
        var path = Path.Combine(_work, "whole-seed.db");
        File.Copy(await SeededApp.TemplateAsync(), path);
        return path;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_work, recursive: true);
    }
}
