using OrgGraph.Model;

namespace OrgGraph.Exporting;

/// <summary>
/// What an export holds: the whole graph, or the nodes and relationships of the paths a query returned
/// (<see cref="Storage.IGraphStore.WhoControlsAsync"/>, <c>ControlledByAsync</c>, <c>PrivatisationPathsAsync</c>,
/// <c>ConnectionsAsync</c>). Either way the export carries every source the exported facts cite; the whole graph
/// also carries sources nothing cites when the store can list them (<see cref="Storage.ISourceCatalog"/>).
/// </summary>
public sealed class ExportSelection
{
    private ExportSelection(IReadOnlyList<GraphPath>? paths, string description)
    {
        Paths = paths;
        Description = description;
    }

    public static ExportSelection WholeGraph { get; } = new(null, "the whole graph");

    /// <summary>The nodes and relationships of <paramref name="paths"/>; <paramref name="description"/> says which query found them.</summary>
    public static ExportSelection FromPaths(IReadOnlyList<GraphPath> paths, string description) => new(paths, description);

    /// <summary>Null for the whole graph.</summary>
    public IReadOnlyList<GraphPath>? Paths { get; }

    /// <summary>A human-readable line written into the export (a comment, a graph attribute or the GEXF description).</summary>
    public string Description { get; }
}

/// <summary>What an export wrote.</summary>
public sealed record ExportSummary(int Nodes, int Relationships, int Facts, int Sources, IReadOnlyList<string> Files);
