using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Importing;

/// <summary>
/// Reads a directory in the project's CSV format (docs/csv-format.md), checks every value and every
/// reference, and writes it to the store in one transaction — or writes nothing and reports every problem.
/// </summary>
public sealed class CsvImporter(IGraphStore store)
{
    /// <summary>Problems reported per import; more are counted but not listed.</summary>
    public const int MaxProblems = 50;

    private static readonly string[] SourceColumns = ["id", "title", "publisher", "url", "published", "retrieved", "licence"];
    private static readonly string[] NodeColumns = ["id", "name", "kind", "sector", "valid_from", "valid_to", "confidence", "sources", "properties"];
    private static readonly string[] RelationshipColumns = ["type", "from", "to", "valid_from", "valid_to", "confidence", "sources", "properties"];
    private static readonly string[] DateColumns = ["valid_from", "valid_to"];

    public async Task<ImportCounts> ImportAsync(string directory, CancellationToken cancellationToken)
    {
        var batch = await ReadAsync(directory, cancellationToken);
        return await store.UpsertAsync(batch, cancellationToken);
    }

    /// <summary>
    /// Reads and validates a directory without writing; throws <see cref="ImportException"/> listing the problems.
    /// References may point into <paramref name="alongside"/>, a batch to be written in the same transaction.
    /// </summary>
    public async Task<GraphBatch> ReadAsync(string directory, CancellationToken cancellationToken, GraphBatch? alongside = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new ImportException([new ImportProblem(directory, 0, 0, null, "no such directory")]);
        }

        var problems = new List<ImportProblem>();
        var sources = ReadSources(Table(directory, "sources.csv", ["id", "title"], SourceColumns, problems, mustExist: true));
        var nodes = ReadNodes(Table(directory, "nodes.csv", ["id", "name", "kind", "sector", "sources"], NodeColumns, problems, mustExist: true));
        var facts = new List<(CsvTable Table, CsvRecord Row, string NodeId, NodeFactKind Kind, DatedValue Value)>();
        ReadFacts(Table(directory, "names.csv", ["node_id", "name", "sources"], ["node_id", "name", "sources", .. DateColumns], problems), NodeFactKind.Name, "name", facts);
        ReadFacts(Table(directory, "roles.csv", ["node_id", "role", "sources"], ["node_id", "role", "sources", .. DateColumns], problems), NodeFactKind.Role, "role", facts);
        ReadFacts(Table(directory, "aliases.csv", ["node_id", "alias", "scheme", "sources"], ["node_id", "alias", "scheme", "sources", .. DateColumns], problems), NodeFactKind.Alias, "alias", facts);
        var relationships = ReadRelationships(Table(directory, "relationships.csv", ["type", "from", "to", "sources"], RelationshipColumns, problems));

        // A file that could not be read at all would make every reference to it look dangling: report only the file.
        if (!problems.Any(p => p.Line <= 1 || p.Field is null))
        {
            await CheckReferencesAsync(sources, nodes, facts, relationships, alongside, cancellationToken);
        }

        if (problems.Count > 0)
        {
            throw new ImportException(problems.Take(MaxProblems).ToList());
        }

        return new GraphBatch
        {
            Sources = sources.Select(s => s.Value).ToList(),
            Nodes = nodes.Select(n => n.Value).ToList(),
            NodeFacts = facts.Select(f => (f.NodeId, f.Kind, f.Value)).ToList(),
            Relationships = relationships.Select(r => r.Value).ToList(),
        };
    }

    private static CsvTable? Table(string directory, string name, string[] required, string[] all, List<ImportProblem> problems, bool mustExist = false)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            if (mustExist)
            {
                problems.Add(new ImportProblem(name, 0, 0, null, $"required file {name} is missing from {directory}"));
            }

            return null;
        }

        return CsvTable.Load(path, required, all.Except(required).ToArray(), problems);
    }

    private static List<Located<Source>> ReadSources(CsvTable? table)
    {
        var result = new List<Located<Source>>();
        if (table is null)
        {
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var source = new Source
            {
                Id = table.Key(row, "id"),
                Title = table.RequiredText(row, "title"),
                Publisher = table.Text(row, "publisher"),
                Url = table.Text(row, "url"),
                Published = table.Date(row, "published"),
                Retrieved = table.Date(row, "retrieved"),
                Licence = table.Text(row, "licence"),
            };
            if (source.Id.Length > 0 && !seen.Add(source.Id))
            {
                table.Problem(row, "id", $"duplicate source id '{source.Id}'");
            }

            result.Add(new(table, row, source));
        }

        return result;
    }

    private static List<Located<Node>> ReadNodes(CsvTable? table)
    {
        var result = new List<Located<Node>>();
        if (table is null)
        {
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var (from, to) = table.Period(row);
            var node = new Node
            {
                Id = table.Key(row, "id"),
                Name = table.RequiredText(row, "name"),
                Kind = table.Enum<OrgKind>(row, "kind"),
                Sector = table.Enum<Sector>(row, "sector"),
                ValidFrom = from,
                ValidTo = to,
                Confidence = table.Enum<Confidence>(row, "confidence", Confidence.Official),
                SourceIds = table.SourceIds(row),
                Properties = table.Properties(row),
            };
            if (node.Id.Length > 0 && !seen.Add(node.Id))
            {
                table.Problem(row, "id", $"duplicate node id '{node.Id}'");
            }

            result.Add(new(table, row, node));
        }

        return result;
    }

    private static void ReadFacts(CsvTable? table, NodeFactKind kind, string valueColumn,
        List<(CsvTable, CsvRecord, string, NodeFactKind, DatedValue)> facts)
    {
        if (table is null)
        {
            return;
        }

        foreach (var row in table.Rows)
        {
            var (from, to) = table.Period(row);
            var value = new DatedValue
            {
                Value = kind == NodeFactKind.Alias ? table.Key(row, valueColumn) : table.RequiredText(row, valueColumn),
                Scheme = kind == NodeFactKind.Alias ? table.Enum<AliasScheme>(row, "scheme") : null,
                ValidFrom = from,
                ValidTo = to,
                SourceIds = table.SourceIds(row),
            };
            facts.Add((table, row, table.Key(row, "node_id"), kind, value));
        }
    }

    private static List<Located<Relationship>> ReadRelationships(CsvTable? table)
    {
        var result = new List<Located<Relationship>>();
        if (table is null)
        {
            return result;
        }

        var seen = new HashSet<(RelationshipType, string, string, DateOnly?)>();
        foreach (var row in table.Rows)
        {
            var (from, to) = table.Period(row);
            var relationship = new Relationship
            {
                Type = table.Enum<RelationshipType>(row, "type"),
                From = table.Key(row, "from"),
                To = table.Key(row, "to"),
                ValidFrom = from,
                ValidTo = to,
                Confidence = table.Enum<Confidence>(row, "confidence", Confidence.Official),
                SourceIds = table.SourceIds(row),
                Properties = table.Properties(row),
            };
            if (relationship.From.Length > 0 && relationship.From == relationship.To)
            {
                table.Problem(row, "to", "a relationship cannot go from a node to itself");
            }

            if (!seen.Add((relationship.Type, relationship.From, relationship.To, relationship.ValidFrom)))
            {
                table.Problem(row, "from", $"duplicate relationship {EnumNames.ToWire(relationship.Type)} {relationship.From} -> {relationship.To} from {relationship.ValidFrom:yyyy-MM-dd}");
            }

            result.Add(new(table, row, relationship));
        }

        return result;
    }

    private async Task CheckReferencesAsync(List<Located<Source>> sources, List<Located<Node>> nodes,
        List<(CsvTable Table, CsvRecord Row, string NodeId, NodeFactKind Kind, DatedValue Value)> facts,
        List<Located<Relationship>> relationships, GraphBatch? alongside, CancellationToken cancellationToken)
    {
        var sourceIds = sources.Select(s => s.Value.Id).Concat(alongside?.Sources.Select(s => s.Id) ?? []).ToHashSet(StringComparer.Ordinal);
        var nodeIds = nodes.Select(n => n.Value.Id).Concat(alongside?.Nodes.Select(n => n.Id) ?? []).ToHashSet(StringComparer.Ordinal);

        var citedSources = nodes.SelectMany(n => n.Value.SourceIds)
            .Concat(facts.SelectMany(f => f.Value.SourceIds))
            .Concat(relationships.SelectMany(r => r.Value.SourceIds))
            .Where(id => !sourceIds.Contains(id)).ToHashSet(StringComparer.Ordinal);
        sourceIds.UnionWith((await store.GetSourcesAsync(citedSources, cancellationToken)).Keys);

        var referencedNodes = facts.Select(f => f.NodeId)
            .Concat(relationships.SelectMany(r => new[] { r.Value.From, r.Value.To }))
            .Where(id => !nodeIds.Contains(id)).ToHashSet(StringComparer.Ordinal);
        nodeIds.UnionWith((await store.GetNodesAsync(referencedNodes, cancellationToken)).Keys);

        void CheckSources(CsvTable table, CsvRecord row, IEnumerable<string> ids)
        {
            foreach (var id in ids.Where(id => !sourceIds.Contains(id)))
            {
                table.Problem(row, "sources", $"source '{id}' is not in sources.csv or the store");
            }
        }

        void CheckNode(CsvTable table, CsvRecord row, string column, string id)
        {
            if (id.Length > 0 && !nodeIds.Contains(id))
            {
                table.Problem(row, column, $"node '{id}' is not in nodes.csv or the store");
            }
        }

        foreach (var n in nodes)
        {
            CheckSources(n.Table, n.Row, n.Value.SourceIds);
        }

        foreach (var f in facts)
        {
            CheckSources(f.Table, f.Row, f.Value.SourceIds);
            CheckNode(f.Table, f.Row, "node_id", f.NodeId);
        }

        foreach (var r in relationships)
        {
            CheckSources(r.Table, r.Row, r.Value.SourceIds);
            CheckNode(r.Table, r.Row, "from", r.Value.From);
            CheckNode(r.Table, r.Row, "to", r.Value.To);
        }
    }

    private sealed record Located<T>(CsvTable Table, CsvRecord Row, T Value);
}
