using System.Text;
using OrgGraph.Importing;
using OrgGraph.Importing.Money;
using OrgGraph.Importing.Official;
using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// The OCDS reader on copies of the real release packages: malformed files reported with file, JSON line and column and
/// the field path, and a spend supplier matched through an award's company number.
/// </summary>
public sealed class OcdsReaderTests : IDisposable
{
    private const string T7 = "contracts/supplier_ids_match/ocds-b5fd17suppliermatch-0989882d-e14e-4afc-af9a-3689f859dbe5.json";
    private const string Hpn = "contracts/supplier_ids_match/ocds-b5fd17suppliermatch-e72a9f25-8982-4198-a5de-50eddd536ae9.json";

    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-ocds-").FullName;
    private readonly Observations _obs = new();
    private readonly List<ImportProblem> _problems = [];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public void Read_T7_OneContractWithItsBuyerAndFiveSuppliers()
    {
        Read(SpendFile.PathOf(T7), "0DJ");
        var batch = _obs.Build();

        Assert.Empty(_problems);
        var contract = Assert.Single(batch.Nodes, n => n.Kind == OrgKind.Contract);
        Assert.Equal("contract:ocds-26cf3497-62d5-473d-9005-373e51cbe004", contract.Id);
        var buyer = Assert.Single(batch.Relationships, r => r.Type == RelationshipType.CommissionedBy);
        Assert.Equal((contract.Id, "0DJ", new DateOnly(2020, 1, 1), new DateOnly(2024, 3, 31)), (buyer.From, buyer.To, buyer.ValidFrom!.Value, buyer.ValidTo!.Value));
        var suppliers = batch.Relationships.Where(r => r.Type == RelationshipType.AwardedTo).Select(r => r.To).Order().ToList();
        Assert.Equal(["CH:05057581", "cqc:1-510954802", "cqc:1-525871933", "cqc:1-537835057", "cqc:1-589456906"], suppliers);
        Assert.Equal(Sector.Unknown, batch.Nodes.Single(n => n.Id == "cqc:1-525871933").Sector);
    }

    [Fact]
    public void Read_TruncatedJson_IsAProblemAtTheEndOfTheFile()
    {
        var text = File.ReadAllText(SpendFile.PathOf(T7));
        var truncated = text[..(text.Length / 2)];

        Read(Write("truncated.json", truncated));

        var problem = Assert.Single(_problems);
        Assert.Equal("money/test.json", problem.File);
        Assert.Equal(truncated.Split('\n').Length, problem.Line);
    }

    [Fact]
    public void Read_NotAReleasePackage_RefusesTheFile()
    {
        Read(SpendFile.PathOf("companies/GB-COH_05057581_bods.json"));

        var problem = Assert.Single(_problems);
        Assert.Equal((1, 1), (problem.Line, problem.Column));
        Assert.Contains("not an OCDS release package", problem.Reason);
    }

    [Fact]
    public void Read_ReleaseWithoutAwards_IsReportedAtTheReleaseAndLeftOut()
    {
        var lines = File.ReadAllLines(SpendFile.PathOf(T7)).ToList();
        var start = lines.FindIndex(l => l.Contains("\"awards\": [", StringComparison.Ordinal));
        lines[start] = lines[start].Replace("\"awards\"", "\"awardz\"", StringComparison.Ordinal);
        var release = lines.FindIndex(l => l.Contains("\"releases\": [", StringComparison.Ordinal)) + 2;

        Read(Write("no-awards.json", string.Join('\n', lines)));

        Assert.Empty(_problems);
        Assert.Contains(_obs.Report.Notes, n => n.StartsWith($"money/test.json:{release}:5 (releases[0].awards): the release has no awards; release left out", StringComparison.Ordinal));
        Assert.DoesNotContain(_obs.Build().Nodes, n => n.Kind == OrgKind.Contract);
    }

    [Fact]
    public void Read_AwardAmountNotANumber_IsReportedAtTheValueWithItsPathAndTheAwardLeftOut()
    {
        var lines = File.ReadAllLines(SpendFile.PathOf(T7)).ToList();
        var awards = lines.FindIndex(l => l.Contains("\"awards\": [", StringComparison.Ordinal));
        var amount = lines.FindIndex(awards, l => l.Contains("\"amount\": 226185114", StringComparison.Ordinal));
        lines[amount] = lines[amount].Replace("226185114", "\"226,185,114\"", StringComparison.Ordinal);
        var column = lines[amount].IndexOf('"', lines[amount].IndexOf(':', StringComparison.Ordinal)) + 1;

        Read(Write("bad-amount.json", string.Join('\n', lines)), "0DJ");

        Assert.Empty(_problems);
        Assert.Contains(_obs.Report.Notes, n => n.StartsWith($"money/test.json:{amount + 1}:{column} (releases[0].awards[0].value.amount): '\"226,185,114\"' is not an amount", StringComparison.Ordinal) && n.EndsWith("award left out", StringComparison.Ordinal));
        Assert.DoesNotContain(_obs.Build().Relationships, r => r.Type == RelationshipType.AwardedTo);
    }

    [Fact]
    public void Read_AwardDateUnreadable_IsReportedWithItsPath()
    {
        var text = File.ReadAllText(SpendFile.PathOf(T7)).Replace("\"date\": \"2019-01-31T00:00:00Z\"", "\"date\": \"31/01/2019\"", StringComparison.Ordinal);

        Read(Write("bad-date.json", text), "0DJ");

        Assert.Contains(_obs.Report.Notes, n => n.Contains("(releases[0].awards[0].date): '\"31/01/2019\"' is not a date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SpendSupplier_MatchedByTheAwardsCompanyNumber_WhenNoOtherSourceGivesIt()
    {
        // Only the HPN award ties "HEALTHCARE AT HOME LTD" to 02759609 here: no BODS file, no reconciliation table.
        const string Spend = "spend/gstt_2020-21_raw/GUYS 01 - April.csv";
        var seed = Directory.CreateDirectory(Path.Combine(_work, "seed")).FullName;
        foreach (var file in new[] { "official/etr_2025-12.csv", "money/" + Spend, "money/" + Hpn })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(seed, file))!);
            File.Copy(Path.Combine(Repo.Seed, file), Path.Combine(seed, file));
        }

        var manifest = File.ReadAllLines(Path.Combine(Repo.Seed, Manifest.FileName));
        File.WriteAllLines(Path.Combine(seed, Manifest.FileName),
            [manifest[0], .. manifest.Where(l => l.StartsWith("official/etr_2025-12.csv,", StringComparison.Ordinal) || l.StartsWith($"money/{Spend},", StringComparison.Ordinal) || l.StartsWith($"money/{Hpn},", StringComparison.Ordinal))]);
        var store = new SqliteGraphStore(new SqliteOptions { Path = Path.Combine(_work, "store.db") });
        await store.InitializeAsync(CancellationToken.None);

        var (batch, _) = await new GraphImporter(store, new CsvImporter(store)).ReadAsync(seed, CancellationToken.None);

        var match = Assert.Single(batch.SupplierMatches, m => m.SupplierKey == "HEALTHCARE AT HOME");
        Assert.Equal((MatchMethod.CompanyNumber, "CH:02759609"), (match.Method, match.NodeId));
        var award = manifest.Single(l => l.StartsWith($"money/{Hpn},", StringComparison.Ordinal)).Split(',')[3];
        Assert.StartsWith($"{award} (money/{Hpn}:", match.Evidence);
        var lines = SpendFile.Read(Spend).Count(r => r.Fields["Supplier"].Trim() == "HEALTHCARE AT HOME LTD");
        Assert.Equal(lines, batch.Payments.Count(p => p.SupplierId == "CH:02759609"));
        Assert.True(lines > 0);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private void Read(string path, string? body = null) =>
        new OcdsReader().Read(new ManifestEntry
        {
            File = "money/test.json",
            Format = OcdsReader.Format,
            Describes = new DateOnly(2020, 2, 5),
            Source = new Source { Id = "test", Title = "test" },
            Body = body,
            Line = 7,
        }, path, _obs, _problems);
}
