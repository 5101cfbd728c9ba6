using OrgGraph.Importing;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Importing;

/// <summary>The seed import (manifest → official readers → curated CSVs) on copies of the real seed.</summary>
public sealed class GraphImporterTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-seed-").FullName;
    private readonly SqliteGraphStore _store;
    private readonly GraphImporter _importer;

    public GraphImporterTests()
    {
        _store = new SqliteGraphStore(new SqliteOptions { Path = Path.Combine(_work, "store.db") });
        _store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _importer = new GraphImporter(_store, new CsvImporter(_store));
        CopyDirectory(Repo.Seed, SeedCopy);
    }

    private string SeedCopy => Path.Combine(_work, "seed");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Import_Seed_ReportsGapsAndIsIdempotent()
    {
        var first = await _importer.ImportAsync(SeedCopy, CancellationToken.None);
        var counts = await _store.CountAsync(CancellationToken.None);
        await _importer.ImportAsync(SeedCopy, CancellationToken.None);

        Assert.Equal(counts, await _store.CountAsync(CancellationToken.None));
        Assert.Equal(first.Counts.Nodes, counts.Nodes);
        Assert.Contains(first.Report.Notes, n => n.Contains("E54000033") && n.Contains("kept under its ONS code"));
        Assert.Contains(first.Report.Notes, n => n.Contains("closed 2019-03-31 with no successor derivable"));
        Assert.Contains(first.Report.Notes, n => n.StartsWith("official/epraccur_2019-12.csv:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Manifest_UnknownFormat_IsReportedOnItsLineAndNothingIsWritten()
    {
        var lines = File.ReadAllLines(ManifestPath);
        lines[3] = lines[3].Replace(",ons-lookup,", ",ons-lookupp,", StringComparison.Ordinal);
        File.WriteAllLines(ManifestPath, lines);

        var problem = Assert.Single((await RefusedAsync()).Problems);

        Assert.Equal(("manifest.csv", 4, "format"), (problem.File, problem.Line, problem.Field));
        Assert.Contains("no reader for format 'ons-lookupp'", problem.Reason);
        Assert.Equal(0, (await _store.CountAsync(CancellationToken.None)).Nodes);
    }

    [Fact]
    public async Task Manifest_MissingFileAndBadDate_AreBothReported()
    {
        var lines = File.ReadAllLines(ManifestPath);
        lines[1] = lines[1].Replace("official/ccg18_", "official/missing_", StringComparison.Ordinal);
        lines[2] = lines[2].Replace(",2019-04-01,", ",2019-13-01,", StringComparison.Ordinal);
        File.WriteAllLines(ManifestPath, lines);

        var problems = (await RefusedAsync()).Problems;

        Assert.Contains(problems, p => p.Line == 2 && p.Field == "file" && p.Reason.Contains("does not exist"));
        Assert.Contains(problems, p => p.Line == 3 && p.Field == "describes");
    }

    [Fact]
    public async Task OfficialFile_MissingColumn_IsReportedAtItsHeaderAndNothingIsWritten()
    {
        var path = Path.Combine(SeedCopy, "official", "gp_reg_pat_prac_map_2022-01.csv");
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 2))));

        var problems = (await RefusedAsync()).Problems;

        Assert.Contains(problems, p => p.File == "official/gp_reg_pat_prac_map_2022-01.csv" && p.Line == 1 && p.Field == "PRACTICE_CODE");
        Assert.Equal(0, (await _store.CountAsync(CancellationToken.None)).Nodes);
    }

    [Fact]
    public async Task CuratedRow_WithADanglingReference_RefusesTheWholeImport()
    {
        File.AppendAllText(Path.Combine(SeedCopy, "curated", "relationships.csv"), "OWNED_BY,no-such-company,centene-corporation,,,REPORTED,nhsforsale-tpg,\n");

        var problems = (await RefusedAsync()).Problems;

        Assert.Contains(problems, p => p.File.EndsWith("relationships.csv", StringComparison.Ordinal) && p.Reason.Contains("no-such-company"));
        Assert.Equal(0, (await _store.CountAsync(CancellationToken.None)).Nodes);
    }

    private string ManifestPath => Path.Combine(SeedCopy, "manifest.csv");

    private async Task<ImportException> RefusedAsync() =>
        await Assert.ThrowsAsync<ImportException>(() => _importer.ImportAsync(SeedCopy, CancellationToken.None));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
