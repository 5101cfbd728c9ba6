using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Exporting;
using OrgGraph.Model;
using OrgGraph.Storage;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Exporting;

/// <summary>
/// The whole seed, and a query's paths, exported in every format and parsed back: what comes back is what the store
/// holds, node for node, relationship for relationship, source for source.
/// </summary>
public sealed class SeedExportTests(SeededApp seeded) : IClassFixture<SeededApp>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-export-").FullName;

    public static TheoryData<string> Formats => [.. ExportFormats.Names];

    private IGraphStore Store => seeded.App.Services.GetRequiredService<IGraphStore>();

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task WholeSeed_ParsesBackToWhatTheStoreHolds(string formatName)
    {
        ExportFormats.TryParse(formatName, out var format);
        var (graph, summary) = await ExportAsync(format, ExportSelection.WholeGraph);
        var counts = await Store.CountAsync(CancellationToken.None);
        var expected = await ExportReader.FromStoreAsync(Store);

        Assert.Equal((counts.Nodes, counts.Relationships, counts.Sources), (graph.Nodes.Count, graph.Edges.Count, graph.Sources.Count));
        Assert.Equal((summary.Nodes, summary.Relationships, summary.Sources, summary.Facts), (counts.Nodes, counts.Relationships, counts.Sources, expected.Facts));
        Assert.Equal(expected.Facts, graph.Facts);
        Assert.Empty(expected.Nodes.Values.Where(n => graph.Nodes.GetValueOrDefault(n.Id) != n).Take(3).Select(n => (n, graph.Nodes.GetValueOrDefault(n.Id))));
        Assert.Equal(ExportReader.Sorted(expected.Edges), ExportReader.Sorted(graph.Edges));
        Assert.Equal(expected.Sources.Values.OrderBy(s => s.Id), graph.Sources.Values.OrderBy(s => s.Id));
        // Every export carries its sources: everything cited is in it (and the seed's one uncited source too).
        Assert.DoesNotContain(graph.Cited, id => !graph.Sources.ContainsKey(id));
        Assert.Contains("nhsspend-supplier-nhsdigital", graph.Sources.Keys);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task WholeSeed_KnownFactsSurvive(string formatName)
    {
        ExportFormats.TryParse(formatName, out var format);
        var (graph, _) = await ExportAsync(format, ExportSelection.WholeGraph);

        // Brent CCG became NHS North West London CCG on 2021-04-01 (derived from the ONS small-area lookups).
        var merger = Assert.Single(graph.Edges, e => e is { Type: "SUCCEEDED_BY", From: "07P", To: "W2U3Z" });
        Assert.Equal(("2021-04-01", (string?)null, "OFFICIAL"), (merger.ValidFrom, merger.ValidTo, merger.Confidence));
        Assert.Equal(["ons-lsoa11-ccg20-lad20", "ons-lsoa11-ccg21-lad21"], ExportedGraph.Split(merger.Sources));

        // AT Medics, by its Companies House id, bought by Operose Health.
        var sale = Assert.Single(graph.Edges, e => e is { Type: "OWNED_BY", From: "CH:05057581", To: "operose-health" });
        Assert.Equal(("2021-02-10", "REPORTED"), (sale.ValidFrom, sale.Confidence));
        Assert.Equal(["nhsforsale-tpg", "ncl-ccg-at-medics-2021", "nel-ccg-at-medics-2021"], ExportedGraph.Split(sale.Sources));
        Assert.Contains("\"completion\":\"2021-02-10\"", sale.Properties);
        var atMedics = graph.Nodes["CH:05057581"];
        Assert.Equal(("AT Medics Ltd", "COMPANY", "PRIVATE"), (atMedics.Name, atMedics.Kind, atMedics.Sector));
        Assert.Contains("ALIAS|05057581|COMPANIES_HOUSE|||bods-gb-coh-05057581", atMedics.Facts);
        Assert.Equal("https://www.nhsforsale.info/private-providers/the-practice-group-ltd-new/", graph.Sources["nhsforsale-tpg"].Url);

        // Apostrophes, ampersands, commas and non-ASCII come through every format's quoting.
        Assert.Equal("King's Lynn and West Norfolk", graph.Nodes["E07000146"].Name);
        Assert.Equal("THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST", graph.Nodes["RCX"].Name);
        Assert.Equal("ROYAL BROMPTON & HAREFIELD NHS FOUNDATION TRUST", graph.Nodes["RT3"].Name);
        Assert.Equal("£300m STP tech framework published after six-month delay", graph.Sources["hsj-hssf-launch-2018"].Title);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task PathQuery_ExportsExactlyThePathsNodesAndRelationships(string formatName)
    {
        ExportFormats.TryParse(formatName, out var format);
        var paths = await Store.PrivatisationPathsAsync("QMJ", new TraversalQuery { AsOf = new DateOnly(2022, 6, 1), First = 25 }, CancellationToken.None);
        Assert.NotEmpty(paths);

        var (graph, summary) = await ExportAsync(format, ExportSelection.FromPaths(paths, "privatisationPaths from QMJ"));

        var nodeIds = paths.SelectMany(p => p.Nodes).ToHashSet();
        var edges = paths.SelectMany(p => p.Steps).Select(s => ExportReader.FromStore(s.Relationship)).Distinct().ToList();
        Assert.Equal(nodeIds.Order(StringComparer.Ordinal), graph.Nodes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ExportReader.Sorted(edges), ExportReader.Sorted(graph.Edges));
        Assert.Equal((nodeIds.Count, edges.Count), (summary.Nodes, summary.Relationships));
        // The nodes are complete records, and the sources are exactly those the subgraph cites.
        var stored = await Store.GetNodesAsync(nodeIds, CancellationToken.None);
        Assert.All(graph.Nodes.Values, n => Assert.Equal(ExportReader.FromStore(stored[n.Id]), n));
        Assert.Equal(graph.Cited.ToHashSet().Order(StringComparer.Ordinal), graph.Sources.Keys.Order(StringComparer.Ordinal));
        // The paths reach private providers (operated by AT Medics and on to its owners).
        Assert.Contains(graph.Nodes.Values, n => n.Sector == "PRIVATE");
    }

    [Fact]
    public async Task Cypher_WrittenToAWriter_SplitsIntoLintableStatements()
    {
        var paths = await Store.WhoControlsAsync("F83056", new TraversalQuery { AsOf = new DateOnly(2022, 6, 1) }, CancellationToken.None);
        using var text = new StringWriter();

        var summary = await new GraphExporter(Store).WriteCypherAsync(text, ExportSelection.FromPaths(paths, "whoControls F83056"), CancellationToken.None);

        var statements = CypherScript.Split(text.ToString());
        Assert.Equal(3 + summary.Nodes + summary.Facts + summary.Sources + summary.Relationships, statements.Count);
        // Parameter-free: no $name outside string literals.
        Assert.All(statements, s => Assert.DoesNotContain('$', Regex.Replace(s, @"'(?:[^'\\]|\\.)*'", "''")));
        Assert.Equal(summary.Nodes, ExportReader.ReadCypher(text.ToString()).Nodes.Count);
    }

    [Fact]
    public async Task Neo4jAdmin_WritesTheImportCommand()
    {
        var (_, summary) = await ExportAsync(ExportFormat.Neo4jAdmin, ExportSelection.WholeGraph);
        var script = await File.ReadAllTextAsync(Path.Combine(_work, "out", "import.sh"));

        Assert.Contains("database import full \"${1:-neo4j}\"", script);
        Assert.Contains("--nodes=\"$DIR/nodes.csv\"", script);
        Assert.Contains("--relationships=\"$DIR/relationships.csv\"", script);
        Assert.Contains("--array-delimiter=';'", script);
        Assert.DoesNotContain("--multiline-fields", script);
        Assert.Contains($"{summary.Nodes} organisations", script);
        Assert.DoesNotContain('\r', script);
        Assert.Equal(["constraints.cypher", "facts.csv", "has_fact.csv", "import.sh", "nodes.csv", "relationships.csv", "sources.csv"],
            Directory.GetFiles(Path.Combine(_work, "out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private async Task<(ExportedGraph Graph, ExportSummary Summary)> ExportAsync(ExportFormat format, ExportSelection selection)
    {
        var path = Path.Combine(_work, "out");
        var summary = await new GraphExporter(Store).ExportAsync(format, path, selection, CancellationToken.None);
        Assert.All(summary.Files, f => Assert.True(File.Exists(f), f));
        return (ExportReader.Read(format, path), summary);
    }
}
