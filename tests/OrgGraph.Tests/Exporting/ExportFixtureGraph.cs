using OrgGraph.Exporting;
using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;

namespace OrgGraph.Tests.Exporting;

/// <summary>
/// A small graph of awkward text — quotes of every kind, backslashes, Cypher and CSV syntax, line breaks, control
/// characters, emoji, ids that are not XML names — for the escaping tests and as a sample of Cypher exports to lint.
/// </summary>
public static class ExportFixtureGraph
{
    private const string Awkward = "O'Brien \"Quote\" & <Sons>, \\ back\\\\slash \\' ü 😀 // not a comment; /* nor this */ ; `tick` $param {brace}";
    private const string Breaks = "line one\nline two\r\n\ttabbed \u0001 bell\u0007 \u2028 separated";

    public static GraphBatch Batch()
    {
        string[] unicodeSource = ["src'1"];
        string[] breakSource = ["s2"];
        return new GraphBatch
        {
            Sources =
            [
                new Source { Id = "src'1", Title = Awkward, Url = "https://example.org/a?b=1&c=2", Published = new DateOnly(2020, 1, 2), Licence = "OGL-3.0" },
                new Source { Id = "s2", Title = Breaks, Publisher = "Ünïcødé “smart” ‘quotes’ – Ltd" },
                new Source { Id = "uncited", Title = "cited by nothing" },
            ],
            Nodes =
            [
                new Node
                {
                    Id = "O'Brien & Sons", Name = Awkward, Kind = OrgKind.Company, Sector = Sector.Private, ValidFrom = new DateOnly(2019, 1, 1),
                    Confidence = Confidence.Reported, SourceIds = unicodeSource, Properties = """{"note":"it's \"quoted\"; a\\b, ü 😀 \n","share":1}""",
                },
                new Node { Id = "plain", Name = Breaks, Kind = OrgKind.Trust, Sector = Sector.Public, ValidTo = new DateOnly(2022, 6, 30), SourceIds = breakSource },
                new Node { Id = "ü-node", Name = "Ünïcødé “smart” ‘quotes’ – Ltd", Kind = OrgKind.GpPractice, Sector = Sector.ThirdSector, SourceIds = breakSource },
                new Node { Id = "empty-props", Name = "x", Kind = OrgKind.Other, Sector = Sector.Public, SourceIds = [] },
            ],
            NodeFacts =
            [
                ("O'Brien & Sons", NodeFactKind.Name, new DatedValue { Value = "Old 'name' \\ \"quoted\"", ValidTo = new DateOnly(2018, 12, 31), SourceIds = breakSource }),
                ("O'Brien & Sons", NodeFactKind.Alias, new DatedValue { Value = "CH:0001", Scheme = AliasScheme.CompaniesHouse, SourceIds = unicodeSource }),
                ("plain", NodeFactKind.Role, new DatedValue { Value = "FOUNDATION_TRUST", ValidFrom = new DateOnly(2020, 4, 1), SourceIds = ["s2", "src'1"] }),
            ],
            Relationships =
            [
                new Relationship
                {
                    Type = RelationshipType.OwnedBy, From = "plain", To = "O'Brien & Sons", ValidFrom = new DateOnly(2020, 1, 1), Confidence = Confidence.Alleged,
                    SourceIds = ["src'1", "s2"], Properties = """{"share":60.5,"note":"a 'b' \"c\""}""",
                },
                new Relationship { Type = RelationshipType.SucceededBy, From = "plain", To = "ü-node", ValidFrom = new DateOnly(2022, 7, 1), SourceIds = breakSource },
                new Relationship { Type = RelationshipType.SucceededBy, From = "plain", To = "ü-node", ValidFrom = new DateOnly(2023, 7, 1), ValidTo = new DateOnly(2024, 1, 1), SourceIds = breakSource },
            ],
        };
    }
}

/// <summary>
/// The statements of a Cypher export of <see cref="ExportFixtureGraph"/> (every statement form the exporter writes,
/// with awkward literals), named <c>CypherExport.NNN.form</c>, for the Neo4j Cypher lint
/// (<c>CypherStatementSources</c> in tests/OrgGraph.Tests/Neo4j/CypherLintTests.cs).
/// </summary>
public static class CypherExportSamples
{
    public static IReadOnlyList<(string Name, string Statement)> Statements() => Lazy.Value;

    private static readonly Lazy<IReadOnlyList<(string Name, string Statement)>> Lazy = new(() => CreateAsync().GetAwaiter().GetResult());

    private static async Task<IReadOnlyList<(string Name, string Statement)>> CreateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("orggraph-cypher-samples-").FullName;
        try
        {
            var store = new SqliteGraphStore(new SqliteOptions { Path = Path.Combine(directory, "store.db") });
            await store.InitializeAsync(CancellationToken.None);
            await store.UpsertAsync(ExportFixtureGraph.Batch(), CancellationToken.None);
            using var script = new StringWriter();
            await new GraphExporter(store).WriteCypherAsync(script, ExportSelection.WholeGraph, CancellationToken.None);
            return [.. CypherScript.Split(script.ToString()).Select((s, i) => ($"CypherExport.{i:D3}.{Form(s)}", s))];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Form(string statement) => statement switch
    {
        _ when statement.StartsWith("CREATE CONSTRAINT", StringComparison.Ordinal) => "Constraint",
        _ when statement.StartsWith("MERGE (o:Organisation", StringComparison.Ordinal) => "Organisation",
        _ when statement.Contains("HAS_FACT", StringComparison.Ordinal) => "Fact",
        _ when statement.StartsWith("MERGE (s:Source", StringComparison.Ordinal) => "Source",
        _ => "Relationship",
    };
}
