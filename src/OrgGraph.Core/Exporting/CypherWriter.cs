using OrgGraph.Model;
using static OrgGraph.Exporting.CypherScript;
using static OrgGraph.Exporting.ExportValues;

namespace OrgGraph.Exporting;

/// <summary>
/// A Cypher script in the Neo4j backend's model (Storage/Neo4j/Cypher.cs): <c>(:Organisation {id, name, kind, sector,
/// validFrom, validTo, confidence, sources, properties})</c> with a second label for its kind, its names, roles and
/// aliases as <c>(:Organisation)-[:HAS_FACT]->(:Fact {nodeId, fact, value, scheme, validFrom, validTo, sources})</c>,
/// <c>(:Source {id, title, publisher, url, published, retrieved, licence})</c>, and one relationship type per
/// <see cref="RelationshipType"/> with <c>{validFrom, validTo, confidence, sources, properties, share}</c>.
/// Every statement is parameter-free and idempotent (MERGE on the same keys as the backend), on one line, ending in <c>;</c>.
/// </summary>
internal sealed class CypherWriter(TextWriter output, OutputFile? file = null) : IGraphWriter
{
    /// <summary>The uniqueness constraints the MERGEs rely on, as the Neo4j backend creates them (IF NOT EXISTS: no clash with it).</summary>
    public static readonly IReadOnlyList<string> Constraints =
    [
        "CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (o:Organisation) REQUIRE o.id IS UNIQUE",
        "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE",
        "CREATE CONSTRAINT fact_key IF NOT EXISTS FOR (f:Fact) REQUIRE (f.nodeId, f.fact, f.value, f.validFrom) IS UNIQUE",
    ];

    public IReadOnlyList<string> Files { get; private set; } = [];

    public void Begin(ExportSelection selection)
    {
        output.Write($"""
            // OrgGraph export: {OneLine(selection.Description)}.
            // Every node and relationship lists the ids of its sources in `sources`; the sources are (:Source) nodes.
            // Idempotent and parameter-free, one statement per line: cypher-shell -a URI -u USER -f THIS_FILE
            // Dates are ISO strings; '{OpenStart}' and '{OpenEnd}' are open ends.

            """.ReplaceLineEndings("\n"));
        foreach (var constraint in Constraints)
        {
            Statement(constraint);
        }
    }

    public void WriteNodes(IReadOnlyList<Node> nodes, IReadOnlyDictionary<string, Source> sources)
    {
        foreach (var n in nodes)
        {
            var id = Literal(n.Id);
            Statement($"MERGE (o:{OrganisationLabel} {{id: {id}}}) SET o:{KindLabel(n.Kind)}, o += {{name: {Literal(n.Name)}, kind: {Literal(Wire(n.Kind))}, " +
                $"sector: {Literal(Wire(n.Sector))}, validFrom: {Literal(StartOrOpen(n.ValidFrom))}, validTo: {Literal(EndOrOpen(n.ValidTo))}, " +
                $"confidence: {Literal(Wire(n.Confidence))}, sources: {List(n.SourceIds)}, properties: {Literal(n.Properties)}}}");
            foreach (var (kind, v) in Facts(n))
            {
                Statement($"MATCH (o:{OrganisationLabel} {{id: {id}}}) MERGE (f:{FactLabel} {{nodeId: {id}, fact: {Literal(Wire(kind))}, " +
                    $"value: {Literal(v.Value)}, validFrom: {Literal(StartOrOpen(v.ValidFrom))}}}) " +
                    $"SET f += {{scheme: {Literal(v.Scheme is { } s ? Wire(s) : null)}, validTo: {Literal(EndOrOpen(v.ValidTo))}, sources: {List(v.SourceIds)}}} " +
                    $"MERGE (o)-[:{HasFact}]->(f)");
            }
        }
    }

    public void WriteSources(IReadOnlyList<Source> sources)
    {
        foreach (var s in sources)
        {
            Statement($"MERGE (s:{SourceLabel} {{id: {Literal(s.Id)}}}) SET s += {{title: {Literal(s.Title)}, publisher: {Literal(s.Publisher)}, " +
                $"url: {Literal(s.Url)}, published: {Literal(Date(s.Published))}, retrieved: {Literal(Date(s.Retrieved))}, licence: {Literal(s.Licence)}}}");
        }
    }

    public void WriteRelationships(IReadOnlyList<Relationship> relationships, IReadOnlyDictionary<string, Source> sources)
    {
        foreach (var r in relationships)
        {
            var share = Share(r.Properties) is { } value ? Float(value) : "null";
            Statement($"MATCH (a:{OrganisationLabel} {{id: {Literal(r.From)}}}) MATCH (b:{OrganisationLabel} {{id: {Literal(r.To)}}}) " +
                $"MERGE (a)-[r:{Wire(r.Type)} {{validFrom: {Literal(StartOrOpen(r.ValidFrom))}}}]->(b) " +
                $"SET r += {{validTo: {Literal(EndOrOpen(r.ValidTo))}, confidence: {Literal(Wire(r.Confidence))}, sources: {List(r.SourceIds)}, " +
                $"properties: {Literal(r.Properties)}, share: {share}}}");
        }
    }

    public void End(ExportSummary summary)
    {
        output.Write($"// End: {summary.Nodes} organisations, {summary.Facts} names/roles/aliases, {summary.Sources} sources, {summary.Relationships} relationships.\n");
        output.Flush();
        if (file is not null)
        {
            file.Commit();
            Files = [file.Path];
        }
    }

    public void Dispose() => file?.Dispose();

    private void Statement(string statement)
    {
        output.Write(statement);
        output.Write(";\n");
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\u0085', '\u2028', '\u2029'], StringSplitOptions.RemoveEmptyEntries));
}
