namespace OrgGraph.Exporting;

/// <summary>What <see cref="GraphExporter"/> writes.</summary>
public enum ExportFormat
{
    /// <summary>A directory of CSV files for <c>neo4j-admin database import full</c>, with an <c>import.sh</c>.</summary>
    Neo4jAdmin,

    /// <summary>A script of idempotent, parameter-free Cypher statements, one per line.</summary>
    Cypher,

    /// <summary>GraphML (http://graphml.graphdrawing.org/xmlns).</summary>
    GraphML,

    /// <summary>GEXF 1.3 (http://gexf.net/1.3), dynamic: nodes and edges carry their validity as start/end.</summary>
    Gexf,
}

/// <summary>The command-line names of the formats: <c>neo4j-admin</c>, <c>cypher</c>, <c>graphml</c>, <c>gexf</c>.</summary>
public static class ExportFormats
{
    private static readonly Dictionary<string, ExportFormat> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["neo4j-admin"] = ExportFormat.Neo4jAdmin,
        ["cypher"] = ExportFormat.Cypher,
        ["graphml"] = ExportFormat.GraphML,
        ["gexf"] = ExportFormat.Gexf,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(ExportFormat format) => ByName.First(p => p.Value == format).Key;

    public static bool TryParse(string? name, out ExportFormat format) => ByName.TryGetValue(name?.Trim() ?? "", out format);

    /// <summary>The file written when the output path is an existing directory (formats that write one file).</summary>
    public static string DefaultFileName(ExportFormat format) => format switch
    {
        ExportFormat.Cypher => "orggraph.cypher",
        ExportFormat.GraphML => "orggraph.graphml",
        ExportFormat.Gexf => "orggraph.gexf",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "writes a directory"),
    };
}
