using System.Text;
using CsCheck;
using OrgGraph.Importing;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Importing;

/// <summary>
/// Property-based tests (CsCheck; a failure prints the seed and the shrunk input): any table written with RFC 4180
/// quoting reads back field for field with its physical line numbers, whatever the line ends and BOM; and a valid
/// directory with one random corruption either imports or is refused with an <see cref="ImportException"/> —
/// nothing else is ever thrown and a refused import writes nothing.
/// </summary>
public sealed class CsvPropertyTests : IDisposable
{
    // Characters a CSV must survive: separators, quotes, line ends, NUL and other controls, BMP text and
    // supplementary-plane characters (surrogate pairs). U+FFFD and U+FEFF are left out: the reader takes a literal
    // U+FFFD for a decoding error, and a leading U+FEFF for a BOM.
    private static readonly Gen<string> Piece = Gen.Frequency(
        (6, Gen.Char['a', 'z'].Select(c => c.ToString())),
        (4, Gen.Char[",\"\r\n ;\t\0'\u0001"].Select(c => c.ToString())),
        (2, Gen.Char['\u00A0', '\uD7FF'].Select(c => c.ToString())),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)));

    private static readonly Gen<string> Field = Piece.Array[0, 8].Select(string.Concat);

    private static readonly Gen<string[][]> Table = Gen.Int[1, 6].SelectMany(columns => Field.Array[columns].Array[1, 10]);

    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-property-").FullName;

    [Fact]
    public void AnyTable_WrittenWithRfc4180Quoting_ReadsBackWithItsLineNumbers()
    {
        Gen.Select(Table, Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, (t, b, c, q, f) => (t, b, c, q, f)).Sample((table, bom, crlf, quoteAll, finalLineEnd) =>
        {
            var (text, lines) = Write(table, crlf ? "\r\n" : "\n", quoteAll, finalLineEnd);
            var bytes = (bom ? [0xEF, 0xBB, 0xBF] : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(text)).ToArray();

            var records = CsvReader.Read(new MemoryStream(bytes), "t.csv").ToList();

            Assert.Equal(table.Length, records.Count);
            for (var i = 0; i < table.Length; i++)
            {
                Assert.Equal(table[i], records[i].Fields);
                Assert.Equal(lines[i], records[i].Line);
            }
        }, iter: 2_000, print: t => Describe(t.Item1));
    }

    [Fact]
    public void AnyBytes_AreReadOrRefusedWithAPosition_NeverAnotherError()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                _ = CsvReader.Read(new MemoryStream(bytes), "t.csv").ToList();
            }
            catch (CsvFormatException e)
            {
                Assert.True(e.Line >= 1 && e.Column >= 1, e.Message);
                Assert.Equal("t.csv", e.File);
            }
        }, iter: 5_000);
    }

    /// <summary>One corruption of one file: where (a fraction of its length) and what.</summary>
    public sealed record Corruption(string File, double At, string Kind, string Text)
    {
        public override string ToString() => $"{Kind} at {At:0.###} of {File}: {Escape(Text)}";
    }

    private static readonly string[] ProjectFiles = ["sources.csv", "nodes.csv", "names.csv", "roles.csv", "aliases.csv", "relationships.csv"];

    private static readonly Gen<string> Junk = Gen.OneOf(
        Gen.Const(","), Gen.Const("\""), Gen.Const("\n"), Gen.Const("\r\n"), Gen.Const("\r"), Gen.Const("\0"),
        Gen.Const("\uFEFF"), Gen.Const("é"), Gen.Const("2021-13-45"), Gen.Const(";"), Gen.Const("'); DROP TABLE nodes; --"),
        Gen.Const("QT1"), Gen.Const("PART_OF"), Gen.Const("{\"a\":{}}"), Gen.Const("\u0085"), Piece);

    private static Gen<Corruption> Corruptions(string[] files) => Gen.Select(
        Gen.OneOf(files),
        Gen.Double[0, 1],
        Gen.OneOf("insert", "delete", "truncate", "duplicate line", "drop line", "invalid byte"),
        Junk,
        (file, at, kind, text) => new Corruption(file, at, kind, text));

    [Fact]
    public async Task ProjectFormat_OneRandomCorruption_ImportsOrIsRefused_AndARefusalWritesNothing()
    {
        var store = await StoreWithFixtureAsync("project.db");
        var importer = new CsvImporter(store);
        var outcomes = new Dictionary<string, int>();

        await Corruptions(ProjectFiles).SampleAsync(async corruption =>
        {
            var directory = FreshFixtureCopy();
            Corrupt(Path.Combine(directory, corruption.File), corruption);
            await AssertAllOrNothingAsync("project.db", () => importer.ImportAsync(directory, CancellationToken.None), outcomes);
        }, iter: 100, threads: 1);

        Assert.True(outcomes.GetValueOrDefault("refused") > 0, "no corruption was refused: the generator is too gentle");
    }

    [Fact]
    public async Task OfficialFormat_OneRandomCorruption_ImportsOrIsRefused_AndARefusalWritesNothing()
    {
        var store = await StoreWithFixtureAsync("official.db");
        var importer = new GraphImporter(store, new CsvImporter(store));
        var outcomes = new Dictionary<string, int>();

        await Corruptions(["manifest.csv", "official/csu.csv", "official/etr.csv"]).SampleAsync(async corruption =>
        {
            var directory = Directory.CreateDirectory(Path.Combine(_work, "official-" + Guid.NewGuid().ToString("N"))).FullName;
            Directory.CreateDirectory(Path.Combine(directory, "official"));
            File.Copy(Path.Combine(Repo.Seed, "official", "csu_list_2021_nhsx.csv"), Path.Combine(directory, "official", "csu.csv"));
            // The first 40 trusts of an ODS extract (headerless, quoted, YYYYMMDD dates).
            File.WriteAllLines(Path.Combine(directory, "official", "etr.csv"), File.ReadLines(Path.Combine(Repo.Seed, "official", "etr_2025-12.csv")).Take(40));
            File.WriteAllText(Path.Combine(directory, "manifest.csv"),
                "file,format,describes,source_id,title\nofficial/csu.csv,csu-list,2021-04-01,nhsx-csu,NHSX CSU list\nofficial/etr.csv,ods-etr,2025-12-01,ods-etr,ODS trusts\n");
            Corrupt(Path.Combine(directory, corruption.File), corruption);
            await AssertAllOrNothingAsync("official.db", () => importer.ImportAsync(directory, CancellationToken.None), outcomes);
        }, iter: 100, threads: 1);

        Assert.True(outcomes.GetValueOrDefault("refused") > 0, "no corruption was refused: the generator is too gentle");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    private async Task AssertAllOrNothingAsync(string database, Func<Task> import, Dictionary<string, int> outcomes)
    {
        var path = Path.Combine(_work, database);
        var before = await SqliteSnapshot.TakeAsync(path);
        try
        {
            await import();
            outcomes["imported"] = outcomes.GetValueOrDefault("imported") + 1;
        }
        catch (ImportException e)
        {
            outcomes["refused"] = outcomes.GetValueOrDefault("refused") + 1;
            Assert.NotEmpty(e.Problems);
            Assert.All(e.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason)));
            Assert.Equal(before, await SqliteSnapshot.TakeAsync(path));
        }
    }

    private async Task<SqliteGraphStore> StoreWithFixtureAsync(string name)
    {
        var store = new SqliteGraphStore(new SqliteOptions { Path = Path.Combine(_work, name) });
        await store.InitializeAsync(CancellationToken.None);
        await new CsvImporter(store).ImportAsync(FreshFixtureCopy(), CancellationToken.None);
        return store;
    }

    private string FreshFixtureCopy()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_work, "fixture-" + Guid.NewGuid().ToString("N"))).FullName;
        foreach (var file in Directory.GetFiles(Repo.Fixture("midlands"), "*.csv"))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        return directory;
    }

    private static void Corrupt(string path, Corruption corruption)
    {
        var bytes = File.ReadAllBytes(path).ToList();
        var at = Math.Min(bytes.Count, (int)(corruption.At * bytes.Count));
        var lines = File.ReadAllText(path).Split('\n').ToList();
        var line = Math.Min(lines.Count - 1, (int)(corruption.At * lines.Count));
        switch (corruption.Kind)
        {
            case "insert":
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(corruption.Text));
                break;
            case "delete":
                bytes.RemoveRange(at, Math.Min(corruption.Text.Length * 3 + 1, bytes.Count - at));
                break;
            case "truncate":
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case "invalid byte":
                bytes.Insert(at, 0xC3);
                break;
            case "duplicate line":
                lines.Insert(line, lines[line]);
                bytes = [.. Encoding.UTF8.GetBytes(string.Join('\n', lines))];
                break;
            case "drop line":
                lines.RemoveAt(line);
                bytes = [.. Encoding.UTF8.GetBytes(string.Join('\n', lines))];
                break;
        }

        File.WriteAllBytes(path, [.. bytes]);
    }

    /// <summary>The table as RFC 4180 text, and the physical line each record starts on.</summary>
    private static (string Text, List<int> Lines) Write(string[][] table, string lineEnd, bool quoteAll, bool finalLineEnd)
    {
        var text = new StringBuilder();
        var lines = new List<int>();
        var line = 1;
        for (var i = 0; i < table.Length; i++)
        {
            lines.Add(line);
            var row = table[i];
            var record = string.Join(",", row.Select(field =>
                quoteAll || row.Length == 1 || field.AsSpan().IndexOfAny(",\"\r\n") >= 0
                    ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
                    : field));
            text.Append(record);
            line += record.Count(c => c == '\n');
            if (i < table.Length - 1 || finalLineEnd)
            {
                text.Append(lineEnd);
                line++;
            }
        }

        return (text.ToString(), lines);
    }

    private static string Describe(string[][] table) => string.Join(" / ", table.Select(r => string.Join(" | ", r.Select(Escape))));

    private static string Escape(string text) => string.Concat(text.Select(c => c is < ' ' or '"' or '\\' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
