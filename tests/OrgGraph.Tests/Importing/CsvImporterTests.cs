using System.Text;
using OrgGraph.Importing;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Importing;

/// <summary>
/// The CSV importer on a real slice in the project's format (Fixtures/midlands, built from the official files),
/// and on copies of it with one fault each.
/// </summary>
public sealed class CsvImporterTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-import-").FullName;
    private readonly SqliteGraphStore _store;
    private readonly CsvImporter _importer;

    public CsvImporterTests()
    {
        _store = new SqliteGraphStore(new SqliteOptions { Path = Path.Combine(_work, "store.db") });
        _store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _importer = new CsvImporter(_store);
        foreach (var file in Directory.GetFiles(Repo.Fixture("midlands"), "*.csv"))
        {
            File.Copy(file, Path.Combine(SeedCopy, Path.GetFileName(file)));
        }
    }

    private string SeedCopy => Directory.CreateDirectory(Path.Combine(_work, "seed")).FullName;

    [Fact]
    public async Task Import_RealSlice_WritesEverythingAndIsIdempotent()
    {
        var first = await _importer.ImportAsync(SeedCopy, CancellationToken.None);
        var counts = await _store.CountAsync(CancellationToken.None);
        await _importer.ImportAsync(SeedCopy, CancellationToken.None);

        Assert.Equal(CountRows("nodes.csv"), first.Nodes);
        Assert.Equal(CountRows("nodes.csv"), counts.Nodes);
        Assert.Equal(CountRows("relationships.csv"), counts.Relationships);
        Assert.Equal(counts, await _store.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Import_UnknownKind_NamesFileLineColumnAndFieldAndWritesNothing()
    {
        var line = AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = "Test", ["kind"] = "TRUSTT", ["sector"] = "PUBLIC", ["sources"] = FirstSourceId() });

        var problem = Assert.Single((await RefusedAsync()).Problems);

        Assert.Equal(("nodes.csv", line, ColumnOf("nodes.csv", "kind"), "kind"), (problem.File, problem.Line, problem.Column, problem.Field));
        Assert.Contains("'TRUSTT' is not a OrgKind", problem.Reason);
        Assert.Equal(0, (await _store.CountAsync(CancellationToken.None)).Nodes);
    }

    [Theory]
    [InlineData("2021-02-30", "is not a date")]
    [InlineData("01/04/2021", "is not a date")]
    public async Task Import_BadDate_IsReported(string date, string reason)
    {
        var line = AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = "Test", ["kind"] = "TRUST", ["sector"] = "PUBLIC", ["valid_from"] = date, ["sources"] = FirstSourceId() });

        var problem = Assert.Single((await RefusedAsync()).Problems);

        Assert.Equal(("nodes.csv", line, "valid_from"), (problem.File, problem.Line, problem.Field));
        Assert.Contains(reason, problem.Reason);
    }

    [Fact]
    public async Task Import_PeriodEndingBeforeItStarts_IsReported()
    {
        AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = "Test", ["kind"] = "TRUST", ["sector"] = "PUBLIC", ["valid_from"] = "2022-01-01", ["valid_to"] = "2021-01-01", ["sources"] = FirstSourceId() });

        Assert.Contains("before valid_from", Assert.Single((await RefusedAsync()).Problems).Reason);
    }

    [Fact]
    public async Task Import_DanglingRelationship_IsReportedAndNothingIsWritten()
    {
        var line = AppendRow("relationships.csv", new() { ["type"] = "PART_OF", ["from"] = "QT1", ["to"] = "NO-SUCH-NODE", ["sources"] = FirstSourceId() });

        var problem = Assert.Single((await RefusedAsync()).Problems);

        Assert.Equal(("relationships.csv", line, "to"), (problem.File, problem.Line, problem.Field));
        Assert.Contains("'NO-SUCH-NODE' is not in nodes.csv", problem.Reason);
        Assert.Equal(0, (await _store.CountAsync(CancellationToken.None)).Relationships);
    }

    [Fact]
    public async Task Import_UnknownSource_IsReported()
    {
        AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = "Test", ["kind"] = "TRUST", ["sector"] = "PUBLIC", ["sources"] = "no-such-source" });

        Assert.Contains("source 'no-such-source'", Assert.Single((await RefusedAsync()).Problems).Reason);
    }

    [Fact]
    public async Task Import_DuplicateNodeId_IsReported()
    {
        var line = AppendRow("nodes.csv", new() { ["id"] = "QT1", ["name"] = "Again", ["kind"] = "ICS", ["sector"] = "PUBLIC", ["sources"] = FirstSourceId() });

        var problem = Assert.Single((await RefusedAsync()).Problems);

        Assert.Equal((line, "id"), (problem.Line, problem.Field));
        Assert.Contains("duplicate node id 'QT1'", problem.Reason);
    }

    [Fact]
    public async Task Import_MissingRequiredColumn_IsReportedOnTheHeader()
    {
        RewriteHeader("nodes.csv", header => header.Replace("kind", "knd", StringComparison.Ordinal));

        var problems = (await RefusedAsync()).Problems;

        Assert.Contains(problems, p => p is { File: "nodes.csv", Line: 1, Field: "knd" } && p.Reason.Contains("unknown column"));
        Assert.Contains(problems, p => p is { File: "nodes.csv", Line: 1, Field: "kind" } && p.Reason.Contains("missing"));
    }

    [Fact]
    public async Task Import_QuotedNewlinesAndCrlf_AreReadAndLaterLinesKeepTheirNumbers()
    {
        var path = Path.Combine(SeedCopy, "nodes.csv");
        var header = File.ReadLines(path).First().Split(',');
        string Row(string id, string name, string kind) => string.Join(",", header.Select(c => c switch
        {
            "id" => id,
            "name" => name,
            "kind" => kind,
            "sector" => "PUBLIC",
            "sources" => FirstSourceId(),
            _ => "",
        }));
        var before = File.ReadAllLines(path).Length;
        File.AppendAllText(path, Row("TEST1", "\"A name with \"\"quotes\"\", a comma\r\nand a newline\"", "TRUST") + "\r\n" + Row("TEST2", "Bad", "NOPE") + "\r\n");

        var problem = Assert.Single((await RefusedAsync()).Problems);

        Assert.Equal(before + 3, problem.Line);
        Assert.Equal("kind", problem.Field);
    }

    [Fact]
    public async Task Import_InvalidUtf8_IsReported()
    {
        var path = Path.Combine(SeedCopy, "nodes.csv");
        await using (var stream = File.Open(path, FileMode.Append))
        {
            stream.Write("TEST1,"u8);
            stream.Write([0xC3, 0x28]);
            stream.Write("\n"u8);
        }

        var problem = Assert.Single((await RefusedAsync()).Problems);

        Assert.Equal("nodes.csv", problem.File);
        Assert.Contains("not valid UTF-8", problem.Reason);
        Assert.Equal(File.ReadAllLines(path).Length, problem.Line);
    }

    [Fact]
    public async Task Import_StrayQuote_IsReportedWithItsColumn()
    {
        var path = Path.Combine(SeedCopy, "sources.csv");
        var line = File.ReadAllLines(path).Length + 1;
        File.AppendAllText(path, "x,ti\"tle\n");

        var problem = Assert.Single((await RefusedAsync()).Problems);

        Assert.Equal(("sources.csv", line, 5), (problem.File, problem.Line, problem.Column));
    }

    [Fact]
    public async Task Import_MissingDirectory_IsRefused()
    {
        var e = await Assert.ThrowsAsync<ImportException>(() => _importer.ImportAsync(Path.Combine(_work, "nope"), CancellationToken.None));

        Assert.Contains("no such directory", e.Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    private async Task<ImportException> RefusedAsync() =>
        await Assert.ThrowsAsync<ImportException>(() => _importer.ImportAsync(SeedCopy, CancellationToken.None));

    private int CountRows(string file) => Read(file).Count - 1;

    private int ColumnOf(string file, string column) => Read(file)[0].Fields.ToList().IndexOf(column) + 1;

    private string FirstSourceId() => Read("sources.csv")[1].Fields[ColumnOf("sources.csv", "id") - 1];

    private List<CsvRecord> Read(string file)
    {
        using var stream = File.OpenRead(Path.Combine(SeedCopy, file));
        return CsvReader.Read(stream, file).ToList();
    }

    /// <summary>Appends a row (columns by name, the rest empty) and returns its line number.</summary>
    private int AppendRow(string file, Dictionary<string, string> values)
    {
        var path = Path.Combine(SeedCopy, file);
        var header = Read(file)[0].Fields;
        var text = File.ReadAllText(path);
        if (!text.EndsWith('\n'))
        {
            text += "\n";
        }

        File.WriteAllText(path, text + string.Join(",", header.Select(c => values.GetValueOrDefault(c, ""))) + "\n", new UTF8Encoding(false));
        return text.Count(c => c == '\n') + 1;
    }

    private void RewriteHeader(string file, Func<string, string> change)
    {
        var path = Path.Combine(SeedCopy, file);
        var lines = File.ReadAllLines(path);
        lines[0] = change(lines[0]);
        File.WriteAllLines(path, lines);
    }
}
