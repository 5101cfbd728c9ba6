using System.Xml;
using OrgGraph.Exporting;
using OrgGraph.Storage.Sqlite;

namespace OrgGraph.Tests.Exporting;

/// <summary>
/// Awkward text — quotes of every kind, backslashes, Cypher and CSV syntax, line breaks, control characters, emoji,
/// ids that are not XML names — through every format and back.
/// </summary>
public sealed class ExportEscapingTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-export-escaping-").FullName;
    private readonly SqliteGraphStore _store;

    public ExportEscapingTests()
    {
        _store = new SqliteGraphStore(new SqliteOptions { Path = Path.Combine(_work, "store.db") });
        _store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _store.UpsertAsync(ExportFixtureGraph.Batch(), CancellationToken.None).GetAwaiter().GetResult();
    }

    public static TheoryData<string> Formats => [.. ExportFormats.Names];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task AwkwardText_RoundTrips(string formatName)
    {
        ExportFormats.TryParse(formatName, out var format);
        var path = Path.Combine(_work, "out");

        await new GraphExporter(_store).ExportAsync(format, path, ExportSelection.WholeGraph, CancellationToken.None);
        var graph = ExportReader.Read(format, path);

        var expected = await ExportReader.FromStoreAsync(_store);
        var xml = format is ExportFormat.GraphML or ExportFormat.Gexf;
        // XML 1.0 cannot carry control characters other than tab and line breaks, even escaped: they become U+FFFD.
        string? Text(string? s) => xml && s is not null ? new string([.. s.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD')]) : s;
        Assert.Equal(
            expected.Nodes.Values.Select(n => n with { Name = Text(n.Name)!, Properties = Text(n.Properties)!, Facts = Text(n.Facts)! }).OrderBy(n => n.Id, StringComparer.Ordinal),
            graph.Nodes.Values.OrderBy(n => n.Id, StringComparer.Ordinal));
        Assert.Equal(ExportReader.Sorted(expected.Edges), ExportReader.Sorted(graph.Edges));
        Assert.Equal(expected.Sources.Values.Select(s => s with { Title = Text(s.Title)! }).OrderBy(s => s.Id, StringComparer.Ordinal),
            graph.Sources.Values.OrderBy(s => s.Id, StringComparer.Ordinal));
        Assert.Equal(3, graph.Sources.Count);
    }

    [Fact]
    public async Task Neo4jAdmin_WithLineBreaksInFields_AsksForMultilineFields()
    {
        var path = Path.Combine(_work, "out");
        await new GraphExporter(_store).ExportAsync(ExportFormat.Neo4jAdmin, path, ExportSelection.WholeGraph, CancellationToken.None);

        Assert.Contains("--multiline-fields=true", await File.ReadAllTextAsync(Path.Combine(path, "import.sh")));
    }

    [Fact]
    public async Task GraphML_IdThatIsNotAnXmlName_IsEncodedAndKeptAsData()
    {
        var path = Path.Combine(_work, "out.graphml");
        await new GraphExporter(_store).ExportAsync(ExportFormat.GraphML, path, ExportSelection.WholeGraph, CancellationToken.None);

        var text = await File.ReadAllTextAsync(path);
        Assert.Contains($"<node id=\"{XmlConvert.EncodeNmToken("O'Brien & Sons")}\">", text);
        Assert.Contains("<data key=\"n_id\">O'Brien &amp; Sons</data>", text);
    }

    [Fact]
    public async Task Cypher_Script_IsOneStatementPerLine()
    {
        using var text = new StringWriter();
        await new GraphExporter(_store).WriteCypherAsync(text, ExportSelection.WholeGraph, CancellationToken.None);
        var script = text.ToString();

        Assert.DoesNotContain('\r', script);
        Assert.DoesNotContain('\u2028', script);
        Assert.Contains(@"'O\'Brien ""Quote"" & <Sons>, \\ back\\\\slash \\\' ü 😀 // not a comment; /* nor this */ ; `tick` $param {brace}'", script);
        Assert.Contains(@"'line one\nline two\r\n\ttabbed \u0001 bell\u0007 \u2028 separated'", script);
        Assert.Equal(4, ExportReader.ReadCypher(script).Nodes.Count);
    }

    [Fact]
    public void CypherExportSamples_CoverEveryStatementForm()
    {
        var samples = CypherExportSamples.Statements();

        Assert.Equal(["Constraint", "Fact", "Organisation", "Relationship", "Source"], samples.Select(s => s.Name.Split('.')[^1]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(samples.Count, samples.Select(s => s.Name).Distinct().Count());
        Assert.Equal(3 + 4 + 3 + 3 + 3, samples.Count);
    }

    [Theory]
    [InlineData("", "''")]
    [InlineData("King's", @"'King\'s'")]
    [InlineData(@"a\b", @"'a\\b'")]
    [InlineData("\"double\"", "'\"double\"'")]
    [InlineData("tab\tnew\nline\u0085\u2029", @"'tab\tnew\nline\u0085\u2029'")]
    [InlineData("£ ü 😀", "'£ ü 😀'")]
    public void Cypher_Literal_EscapesWhatCypherAndLineReadersNeed(string value, string literal)
    {
        Assert.Equal(literal, CypherScript.Literal(value));
        Assert.Equal(value, ExportReader.ParseString(literal));
    }

    [Fact]
    public void Cypher_Literal_EscapesALoneSurrogate()
    {
        var value = "\ud800 lone";

        Assert.Equal(@"'\uD800 lone'", CypherScript.Literal(value));
        Assert.Equal(value, ExportReader.ParseString(CypherScript.Literal(value)));
    }

    [Fact]
    public void Cypher_Split_IgnoresSemicolonsInLiteralsNamesAndComments()
    {
        const string Script = """
            // a comment; with a semicolon
            CREATE (n:X {a: 'one; two', b: "three; \" four"});
            /* block; comment */ MATCH (`odd;name``x`) RETURN 'it\'s; fine' AS s;

            RETURN 1 // trailing; comment
            ;
            RETURN 2
            """;

        Assert.Equal(
            ["CREATE (n:X {a: 'one; two', b: \"three; \\\" four\"})", "MATCH (`odd;name``x`) RETURN 'it\\'s; fine' AS s", "RETURN 1", "RETURN 2"],
            CypherScript.Split(Script));
    }
}
