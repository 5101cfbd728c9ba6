using System.Text;
using OrgGraph.Importing;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Importing;

/// <summary>
/// Hostile and odd CSV input for both importers, on a store that already holds a graph: each fault is refused with
/// its file, line and (where it has one) field, and the store is byte for byte unchanged — even though the same
/// import also renames a node and adds one. Accepted variants (BOM, CRLF, needless quoting) import the same graph
/// as the plain files. Faults already covered by <see cref="CsvImporterTests"/> (unknown kind, bad node date,
/// dangling relationship, duplicate node id, missing column, stray quote, invalid UTF-8, quoted CRLF) are not repeated.
/// </summary>
public sealed class HostileCsvTests : IDisposable
{
    private const string Any = "\u0000any";

    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-hostile-").FullName;
    private readonly SqliteGraphStore _store;
    private readonly CsvImporter _importer;

    public HostileCsvTests()
    {
        _store = NewStore("store.db");
        _importer = new CsvImporter(_store);
        CopyFixture(Input);
        _importer.ImportAsync(Input, CancellationToken.None).GetAwaiter().GetResult();

        // The import under test would also change the graph, so a partial write could not go unseen.
        var nodes = File.ReadAllText(InputFile("nodes.csv"));
        File.WriteAllText(InputFile("nodes.csv"), nodes.Replace(",NHS England,", ",Renamed by a refused import,", StringComparison.Ordinal));
        AppendRow("nodes.csv", new() { ["id"] = "NEW1", ["name"] = "Added by a refused import", ["kind"] = "OTHER", ["sector"] = "PUBLIC", ["sources"] = FirstSourceId() });
    }

    private string Input => Path.Combine(_work, "input");

    private string StorePath => Path.Combine(_work, "store.db");

    /// <summary>A fault: changes the input, and says where the problem must be reported.</summary>
    public sealed record Expected(string File, int? Line, string? Field, string Reason);

    private static readonly Dictionary<string, Func<HostileCsvTests, Expected>> Faults = new()
    {
        ["column twice"] = t =>
        {
            t.RewriteHeader("nodes.csv", h => h + ",name");
            return new("nodes.csv", 1, "name", "appears twice");
        },
        ["row too short"] = t => new("nodes.csv", t.AppendRaw("nodes.csv", "TEST1,Test,TRUST"), null, "the row has 3 fields but the header has 9"),
        ["row too long"] = t => new("relationships.csv", t.AppendRaw("relationships.csv", $"PART_OF,QT1,Y60,,,,{t.FirstSourceId()},,extra"), null, "the row has 9 fields but the header has 8"),
        ["duplicate source id"] = t => new("sources.csv", t.AppendRow("sources.csv", new() { ["id"] = t.FirstSourceId(), ["title"] = "Again" }), "id", "duplicate source id"),
        ["duplicate relationship"] = t => new("relationships.csv", t.AppendRaw("relationships.csv", File.ReadLines(t.InputFile("relationships.csv")).ElementAt(1)), "from", "duplicate relationship"),
        ["dangling name"] = t => new("names.csv", t.AppendRow("names.csv", new() { ["node_id"] = "NO-SUCH-NODE", ["name"] = "x", ["sources"] = t.FirstSourceId() }), "node_id", "'NO-SUCH-NODE' is not in nodes.csv or the store"),
        ["dangling relationship source"] = t => new("relationships.csv", t.AppendRow("relationships.csv", new() { ["type"] = "PART_OF", ["from"] = "QT1", ["to"] = "Y60", ["sources"] = "no-such-source" }), "sources", "source 'no-such-source' is not in sources.csv"),
        ["unknown alias scheme"] = t => new("aliases.csv", t.AppendRow("aliases.csv", new() { ["node_id"] = "QT1", ["alias"] = "X1", ["scheme"] = "ISO", ["sources"] = t.FirstSourceId() }), "scheme", "'ISO' is not a AliasScheme"),
        ["lower-case kind"] = t => new("nodes.csv", t.AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = "Test", ["kind"] = "trust", ["sector"] = "PUBLIC", ["sources"] = t.FirstSourceId() }), "kind", "'trust' is not a OrgKind"),
        ["bad relationship date"] = t => new("relationships.csv", t.AppendRow("relationships.csv", new() { ["type"] = "PART_OF", ["from"] = "QT1", ["to"] = "Y60", ["valid_to"] = "2021-13-01", ["sources"] = t.FirstSourceId() }), "valid_to", "is not a date"),
        ["bad source date"] = t => new("sources.csv", t.AppendRow("sources.csv", new() { ["id"] = "new-source", ["title"] = "New", ["published"] = "yesterday" }), "published", "'yesterday' is not a date"),
        ["role ends before it starts"] = t => new("roles.csv", t.AppendRow("roles.csv", new() { ["node_id"] = "QT1", ["role"] = "ICB", ["valid_from"] = "2023-01-01", ["valid_to"] = "2022-01-01", ["sources"] = t.FirstSourceId() }), "valid_to", "before valid_from"),
        ["self loop"] = t => new("relationships.csv", t.AppendRow("relationships.csv", new() { ["type"] = "PART_OF", ["from"] = "QT1", ["to"] = "QT1", ["sources"] = t.FirstSourceId() }), "to", "from a node to itself"),
        ["properties not json"] = t => new("nodes.csv", t.AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = "Test", ["kind"] = "TRUST", ["sector"] = "PUBLIC", ["sources"] = t.FirstSourceId(), ["properties"] = "\"{not json\"" }), "properties", "not valid JSON"),
        ["properties nested"] = t => new("nodes.csv", t.AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = "Test", ["kind"] = "TRUST", ["sector"] = "PUBLIC", ["sources"] = t.FirstSourceId(), ["properties"] = "\"{\"\"a\"\":{\"\"b\"\":1}}\"" }), "properties", "property values must be"),
        ["NUL in an id"] = t => new("nodes.csv", t.AppendRow("nodes.csv", new() { ["id"] = "TE\0ST1", ["name"] = "Test", ["kind"] = "TRUST", ["sector"] = "PUBLIC", ["sources"] = t.FirstSourceId() }), "id", "control characters"),
        ["Windows-1252 text"] = t => new("nodes.csv", t.AppendBytes("nodes.csv", [.. "TEST1,Caf"u8, 0xE9, .. ",TRUST,PUBLIC,,,,x,\n"u8]), null, "not valid UTF-8"),
        ["UTF-16 without a BOM"] = t =>
        {
            // Read as UTF-8, every other byte is NUL: the file is refused at the first field that cannot be CSV.
            File.WriteAllBytes(t.InputFile("sources.csv"), Encoding.Unicode.GetBytes(File.ReadAllText(t.InputFile("sources.csv"))));
            return new("sources.csv", null, Any, "");
        },
        ["binary file"] = t =>
        {
            File.WriteAllBytes(t.InputFile("nodes.csv"), [0x89, .. "PNG\r\n"u8, 0x1A, 0x0A, 0, 0, 0, 0x0D, .. "IHDR"u8]);
            return new("nodes.csv", 1, null, "not valid UTF-8");
        },
        ["unclosed quote at the end"] = t => new("nodes.csv", t.AppendRaw("nodes.csv", $"TEST1,\"Unclosed name,TRUST,PUBLIC,,,,{t.FirstSourceId()},"), null, "not closed before the end of the file"),
        ["text after a closing quote"] = t => new("nodes.csv", t.AppendRaw("nodes.csv", $"TEST1,\"Name\"x,TRUST,PUBLIC,,,,{t.FirstSourceId()},"), null, "text after the closing quote"),
        ["CR-only line ends"] = t =>
        {
            File.WriteAllText(t.InputFile("roles.csv"), File.ReadAllText(t.InputFile("roles.csv")).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\n', '\r'));
            return new("roles.csv", 1, Any, "unknown column");
        },
        ["UTF-16 with a BOM"] = t =>
        {
            // Readable as text (every other byte is NUL), so it must be refused for its encoding, not for what it looks like.
            File.WriteAllText(t.InputFile("nodes.csv"), File.ReadAllText(t.InputFile("nodes.csv")), Encoding.Unicode);
            return new("nodes.csv", 1, null, "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8");
        },
        ["UTF-16 big-endian with a BOM"] = t =>
        {
            File.WriteAllText(t.InputFile("sources.csv"), File.ReadAllText(t.InputFile("sources.csv")), Encoding.BigEndianUnicode);
            return new("sources.csv", 1, null, "save it as UTF-8");
        },
        ["empty file"] = t =>
        {
            File.WriteAllText(t.InputFile("names.csv"), "");
            return new("names.csv", 1, null, "the file is empty");
        },
        ["missing required file"] = t =>
        {
            File.Delete(t.InputFile("sources.csv"));
            return new("sources.csv", 0, null, "required file sources.csv is missing");
        },
    };

    public static TheoryData<string> FaultNames() => [.. Faults.Keys];

    [Theory]
    [MemberData(nameof(FaultNames))]
    public async Task Fault_IsRefusedWhereItIs_AndTheStoreIsUnchanged(string fault)
    {
        var before = await SqliteSnapshot.TakeAsync(StorePath);
        var expected = Faults[fault](this);

        var refused = await Assert.ThrowsAsync<ImportException>(() => _importer.ImportAsync(Input, CancellationToken.None));

        Assert.True(refused.Problems.Any(p => p.File == expected.File
                && (expected.Line is null || p.Line == expected.Line)
                && (expected.Field == Any || p.Field == expected.Field)
                && p.Reason.Contains(expected.Reason, StringComparison.Ordinal)),
            $"expected {expected}, got:{Environment.NewLine}{refused.Message}");
        Assert.DoesNotContain(refused.Problems, p => p.Line < 0 || p.Column < 0);
        Assert.Equal(before, await SqliteSnapshot.TakeAsync(StorePath));
    }

    private static readonly Dictionary<string, Func<string, string>> Variants = new()
    {
        ["BOM"] = text => "\uFEFF" + text,
        ["CRLF"] = text => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal),
        ["BOM and CRLF"] = text => "\uFEFF" + text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal),
        ["every field quoted"] = text => string.Concat(Records(text).Select(r => string.Join(",", r.Select(f => "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")) + "\n")),
        ["no final line end, blank lines after"] = text => text.TrimEnd('\r', '\n') + "\n\n\n",
    };

    public static TheoryData<string> VariantNames() => [.. Variants.Keys];

    [Theory]
    [MemberData(nameof(VariantNames))]
    public async Task Variant_ImportsTheSameGraph(string variant)
    {
        var plain = NewStore("plain.db");
        var changed = NewStore("changed.db");
        var directory = Path.Combine(_work, "variant");
        CopyFixture(directory);
        await new CsvImporter(plain).ImportAsync(directory, CancellationToken.None);
        foreach (var file in Directory.GetFiles(directory, "*.csv"))
        {
            File.WriteAllText(file, Variants[variant](File.ReadAllText(file)), new UTF8Encoding(false));
        }

        await new CsvImporter(changed).ImportAsync(directory, CancellationToken.None);

        Assert.Equal(
            await SqliteSnapshot.TakeAsync(Path.Combine(_work, "plain.db"), tables: SqliteSnapshot.GraphTables),
            await SqliteSnapshot.TakeAsync(Path.Combine(_work, "changed.db"), tables: SqliteSnapshot.GraphTables));
    }

    [Fact]
    public async Task QuotesCommasAndNewlinesInNames_AreKeptExactly()
    {
        const string name = "A \"quoted\", comma'd\r\nand multi-line name; DROP TABLE nodes; --";
        AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", ["kind"] = "TRUST", ["sector"] = "PUBLIC", ["sources"] = FirstSourceId() });

        await _importer.ImportAsync(Input, CancellationToken.None);

        Assert.Equal(name, (await _store.GetNodesAsync(["TEST1"], CancellationToken.None))["TEST1"].Name);
    }

    [Fact]
    public async Task ReplacementCharacterWrittenAsUtf8_IsOrdinaryText()
    {
        // U+FFFD is valid UTF-8 (EF BF BD): an OCR'd or re-encoded name may really contain it; only invalid bytes are refused.
        const string name = "Caf\uFFFD Health \uFFFD Ltd";
        AppendRow("nodes.csv", new() { ["id"] = "TEST1", ["name"] = name, ["kind"] = "COMPANY", ["sector"] = "PRIVATE", ["sources"] = FirstSourceId() });
        Assert.True(File.ReadAllBytes(InputFile("nodes.csv")).AsSpan().IndexOf("\uFFFD"u8) >= 0, "the file holds the bytes EF BF BD");

        await _importer.ImportAsync(Input, CancellationToken.None);

        Assert.Equal(name, (await _store.GetNodesAsync(["TEST1"], CancellationToken.None))["TEST1"].Name);
    }

    [Fact]
    public async Task InvalidByte_IsReportedAtItsLineAndColumn_AfterMultiByteCharacters()
    {
        var before = await SqliteSnapshot.TakeAsync(StorePath);
        // "TEST1,Ωméga Caf" is 15 characters (18 bytes); the Windows-1252 é after it is the 16th.
        var line = AppendBytes("nodes.csv", [.. "TEST1,Ωméga Caf"u8, 0xE9, .. ",TRUST,PUBLIC,,,,x,\n"u8]);

        var refused = await Assert.ThrowsAsync<ImportException>(() => _importer.ImportAsync(Input, CancellationToken.None));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal(("nodes.csv", line, 16), (problem.File, problem.Line, problem.Column));
        Assert.Contains("not valid UTF-8", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await SqliteSnapshot.TakeAsync(StorePath));
    }

    // ---- the official importer (manifest + files in their published formats) --------------------------

    [Theory]
    [InlineData("invalid UTF-8")]
    [InlineData("unclosed quote")]
    [InlineData("manifest row too short")]
    public async Task OfficialFile_Fault_IsRefusedWhereItIs_AndTheStoreIsUnchanged(string fault)
    {
        var directory = OfficialDirectory();
        var csu = Path.Combine(directory, "official", "csu.csv");
        var before = await SqliteSnapshot.TakeAsync(StorePath);
        var (file, line, reason) = fault switch
        {
            "invalid UTF-8" => ("official/csu.csv", AppendBytesTo(csu, [.. "999,0ZZ,Caf"u8, 0xE9, .. " CSU,CSU,#N/A\n"u8]), "not valid UTF-8"),
            "unclosed quote" => ("official/csu.csv", AppendBytesTo(csu, "999,0ZZ,\"Unclosed CSU,CSU,#N/A\n"u8.ToArray()), "not closed"),
            _ => ("manifest.csv", AppendBytesTo(Path.Combine(directory, "manifest.csv"), "official/csu.csv,csu-list\n"u8.ToArray()), "fields but the header has"),
        };

        var refused = await Assert.ThrowsAsync<ImportException>(() => new GraphImporter(_store, _importer).ImportAsync(directory, CancellationToken.None));

        Assert.True(refused.Problems.Any(p => p.File == file && p.Line == line && p.Reason.Contains(reason, StringComparison.Ordinal)), refused.Message);
        Assert.Equal(before, await SqliteSnapshot.TakeAsync(StorePath));
    }

    [Fact]
    public async Task OfficialFiles_WithBomAndCrlf_ImportTheSameGraph()
    {
        var plain = NewStore("official-plain.db");
        var changed = NewStore("official-changed.db");
        var directory = OfficialDirectory();
        await new GraphImporter(plain, new CsvImporter(plain)).ImportAsync(directory, CancellationToken.None);
        foreach (var file in Directory.GetFiles(directory, "*.csv", SearchOption.AllDirectories))
        {
            File.WriteAllText(file, Variants["BOM and CRLF"](File.ReadAllText(file)), new UTF8Encoding(false));
        }

        await new GraphImporter(changed, new CsvImporter(changed)).ImportAsync(directory, CancellationToken.None);

        var expected = await SqliteSnapshot.TakeAsync(Path.Combine(_work, "official-plain.db"), tables: SqliteSnapshot.GraphTables);
        Assert.Contains("nodes=5:", expected);
        Assert.Equal(expected, await SqliteSnapshot.TakeAsync(Path.Combine(_work, "official-changed.db"), tables: SqliteSnapshot.GraphTables));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private SqliteGraphStore NewStore(string name)
    {
        var store = new SqliteGraphStore(new SqliteOptions { Path = Path.Combine(_work, name) });
        store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        return store;
    }

    private static void CopyFixture(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Repo.Fixture("midlands"), "*.csv"))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <summary>A manifest directory with one official file: NHSX's list of the five CSUs.</summary>
    private string OfficialDirectory()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_work, "official-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        Directory.CreateDirectory(Path.Combine(directory, "official"));
        File.Copy(Path.Combine(Repo.Seed, "official", "csu_list_2021_nhsx.csv"), Path.Combine(directory, "official", "csu.csv"));
        File.WriteAllText(Path.Combine(directory, "manifest.csv"), "file,format,describes,source_id,title\nofficial/csu.csv,csu-list,2021-04-01,nhsx-csu,NHSX CSU list\n");
        return directory;
    }

    private string InputFile(string name) => Path.Combine(Input, name);

    private string FirstSourceId() => Records(File.ReadAllText(InputFile("sources.csv")))[1][0];

    private static List<IReadOnlyList<string>> Records(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return CsvReader.Read(stream, "x.csv").Select(r => r.Fields).ToList();
    }

    /// <summary>Appends a row (columns by name, the rest empty; values written as given) and returns its line.</summary>
    private int AppendRow(string file, Dictionary<string, string> values)
    {
        var header = Records(File.ReadAllText(InputFile(file)))[0];
        return AppendRaw(file, string.Join(",", header.Select(c => values.GetValueOrDefault(c, ""))));
    }

    /// <summary>Appends one line and returns its line number.</summary>
    private int AppendRaw(string file, string line) => AppendBytes(file, Encoding.UTF8.GetBytes(line + "\n"));

    private int AppendBytes(string file, byte[] bytes) => AppendBytesTo(InputFile(file), bytes);

    private static int AppendBytesTo(string path, byte[] bytes)
    {
        var text = File.ReadAllBytes(path);
        var prefix = text.Length == 0 || text[^1] == '\n' ? text : [.. text, (byte)'\n'];
        File.WriteAllBytes(path, [.. prefix, .. bytes]);
        return prefix.Count(b => b == '\n') + 1;
    }

    private void RewriteHeader(string file, Func<string, string> change)
    {
        var lines = File.ReadAllLines(InputFile(file));
        lines[0] = change(lines[0]);
        File.WriteAllLines(InputFile(file), lines);
    }
}
