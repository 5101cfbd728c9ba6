using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Exporting;

/// <summary>
/// Writes the graph, or the nodes and relationships of a query's paths, for Neo4j (<c>neo4j-admin</c> CSVs, a Cypher
/// script) and graph tools (GraphML, GEXF). Reads only through <see cref="IGraphStore"/>, so any backend can be
/// exported, and streams: the whole graph is read a page of nodes at a time (keyset paging), twice — once for the
/// organisations and the sources they and their relationships cite, once for the relationships, so that every
/// format can write sources before the relationships and relationships after both their ends. Only the sources
/// (a few hundred at most) are held for the whole export. The two reads are not one snapshot: a write between
/// them (an import, a mutation) can leave the export inconsistent, so export while nothing writes.
/// </summary>
public sealed class GraphExporter(IGraphStore store)
{
    /// <summary>Nodes per store call (<see cref="NodeQuery.First"/>).</summary>
    public const int PageSize = 1000;

    private static readonly RelationshipFilter Outgoing = new() { Direction = Direction.Outgoing };

    /// <summary>
    /// Exports <paramref name="selection"/> to <paramref name="path"/>: a directory for <see cref="ExportFormat.Neo4jAdmin"/>
    /// (created if needed), else a file (or, if <paramref name="path"/> is an existing directory or ends in a separator,
    /// a file named <see cref="ExportFormats.DefaultFileName"/> in it). Files appear only when complete.
    /// </summary>
    public async Task<ExportSummary> ExportAsync(ExportFormat format, string path, ExportSelection selection, CancellationToken cancellationToken)
    {
        if (format != ExportFormat.Neo4jAdmin)
        {
            // An existing directory, or a path ending in a separator, gets the format's default file name.
            if (Directory.Exists(path) || Path.EndsInDirectorySeparator(path))
            {
                path = Path.Combine(path, ExportFormats.DefaultFileName(format));
            }

            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } parent)
            {
                Directory.CreateDirectory(parent);
            }
        }

        using IGraphWriter writer = format switch
        {
            ExportFormat.Neo4jAdmin => new Neo4jAdminWriter(path),
            ExportFormat.Cypher => CypherFile(path),
            ExportFormat.GraphML => new GraphMLWriter(path),
            ExportFormat.Gexf => new GexfWriter(path),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        return await ExportAsync(writer, selection, cancellationToken);
    }

    /// <summary>
    /// Writes the Cypher script of <paramref name="selection"/> to <paramref name="output"/> (one statement per line,
    /// ending in <c>;</c>; <see cref="CypherScript.Split"/> gives the statements back).
    /// </summary>
    public async Task<ExportSummary> WriteCypherAsync(TextWriter output, ExportSelection selection, CancellationToken cancellationToken)
    {
        using var writer = new CypherWriter(output);
        return await ExportAsync(writer, selection, cancellationToken);
    }

    internal async Task<ExportSummary> ExportAsync(IGraphWriter writer, ExportSelection selection, CancellationToken cancellationToken)
    {
        writer.Begin(selection);
        var sources = new Dictionary<string, Source>(StringComparer.Ordinal);
        var (nodes, facts, relationships, written) = selection.Paths is { } paths
            ? await ExportPathsAsync(writer, paths, sources, cancellationToken)
            : await ExportAllAsync(writer, sources, cancellationToken);
        var summary = new ExportSummary(nodes, relationships, facts, written, []);
        writer.End(summary);
        return summary with { Files = writer.Files };
    }

    private async Task<(int Nodes, int Facts, int Relationships, int Sources)> ExportAllAsync(IGraphWriter writer, Dictionary<string, Source> sources, CancellationToken cancellationToken)
    {
        int nodes = 0, facts = 0, relationships = 0;
        await foreach (var ids in NodeIdPagesAsync(cancellationToken))
        {
            var found = await store.GetNodesAsync(ids, cancellationToken);
            var page = ids.Where(found.ContainsKey).Select(id => found[id]).ToList();
            var outgoing = await store.GetRelationshipsAsync(ids, Outgoing, cancellationToken);
            await CollectSourcesAsync(sources,
                page.SelectMany(ExportValues.CitedBy).Concat(outgoing.Values.SelectMany(list => list).SelectMany(r => r.SourceIds)), cancellationToken);
            writer.WriteNodes(page, sources);
            nodes += page.Count;
            facts += page.Sum(n => n.Names.Count + n.Roles.Count + n.Aliases.Count);
        }

        // Sources nothing cites still belong to the whole graph, when the store can list them.
        if (store is ISourceCatalog catalog)
        {
            foreach (var source in await catalog.ListSourcesAsync(cancellationToken))
            {
                sources.TryAdd(source.Id, source);
            }
        }

        var written = Ordered(sources);
        writer.WriteSources(written);

        await foreach (var ids in NodeIdPagesAsync(cancellationToken))
        {
            var outgoing = await store.GetRelationshipsAsync(ids, Outgoing, cancellationToken);
            var page = ids.SelectMany(id => outgoing.GetValueOrDefault(id) ?? []).ToList();
            writer.WriteRelationships(page, sources);
            relationships += page.Count;
        }

        return (nodes, facts, relationships, written.Count);
    }

    private async Task<(int Nodes, int Facts, int Relationships, int Sources)> ExportPathsAsync(IGraphWriter writer, IReadOnlyList<GraphPath> paths,
        Dictionary<string, Source> sources, CancellationToken cancellationToken)
    {
        var ids = paths.SelectMany(p => p.Nodes).Distinct(StringComparer.Ordinal).ToList();
        var relationships = paths.SelectMany(p => p.Steps).Select(s => s.Relationship)
            .DistinctBy(r => (r.Type, r.From, r.To, r.ValidFrom)).ToList();
        int nodes = 0, facts = 0;
        await CollectSourcesAsync(sources, relationships.SelectMany(r => r.SourceIds), cancellationToken);
        foreach (var chunk in ids.Chunk(PageSize))
        {
            var found = await store.GetNodesAsync(chunk, cancellationToken);
            var page = chunk.Where(found.ContainsKey).Select(id => found[id]).ToList();
            await CollectSourcesAsync(sources, page.SelectMany(ExportValues.CitedBy), cancellationToken);
            writer.WriteNodes(page, sources);
            nodes += page.Count;
            facts += page.Sum(n => n.Names.Count + n.Roles.Count + n.Aliases.Count);
        }

        var written = Ordered(sources);
        writer.WriteSources(written);
        writer.WriteRelationships(relationships, sources);
        return (nodes, facts, relationships.Count, written.Count);
    }

    /// <summary>Every node id, a page at a time, in id order.</summary>
    private async IAsyncEnumerable<IReadOnlyList<string>> NodeIdPagesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in store.NodePagesAsync(new NodeQuery { First = PageSize }, cancellationToken))
        {
            yield return page.Select(n => n.Id).ToList();
        }
    }

    /// <summary>Looks up the cited sources not yet known (missing ids, which the importer never lets in, are left out).</summary>
    private async Task CollectSourcesAsync(Dictionary<string, Source> sources, IEnumerable<string> cited, CancellationToken cancellationToken)
    {
        var missing = cited.Where(id => !sources.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var (id, source) in await store.GetSourcesAsync(missing, cancellationToken))
        {
            sources[id] = source;
        }
    }

    private static List<Source> Ordered(Dictionary<string, Source> sources) => [.. sources.Values.OrderBy(s => s.Id, StringComparer.Ordinal)];

    private static CypherWriter CypherFile(string path)
    {
        var file = new OutputFile(path);
        return new CypherWriter(file.Writer, file);
    }
}
