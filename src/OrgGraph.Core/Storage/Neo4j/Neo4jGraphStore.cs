using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrgGraph.Model;

namespace OrgGraph.Storage.Neo4j;

/// <summary>
/// The graph on Neo4j through its HTTP Query API. Stateless: every answer comes from the server, and
/// traversals are Cypher path patterns with the date filters on the relationships (<see cref="Cypher"/>).
/// Writes run in one explicit transaction, in UNWIND batches, with MERGE: an import is all-or-nothing and
/// running it twice changes nothing.
/// </summary>
public sealed partial class Neo4jGraphStore(QueryApiClient client, Neo4jOptions options) : IGraphStore, ISourceCatalog
{
    private const string OpenStart = "0001-01-01";
    private const string OpenEnd = "9999-12-31";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        foreach (var statement in Cypher.Schema)
        {
            await client.RunAsync(statement, null, cancellationToken);
        }
    }

    public async Task<GraphCounts> CountAsync(CancellationToken cancellationToken)
    {
        var result = await client.RunAsync(Cypher.Count, null, cancellationToken);
        var row = result.Rows[0];
        return new GraphCounts(row[result.Index("sources")].GetInt32(), row[result.Index("nodes")].GetInt32(), row[result.Index("relationships")].GetInt32());
    }

    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public Task<T> InSnapshotAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken) => read();

    public async Task<T> InWriteTransactionAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<ImportCounts> UpsertAsync(GraphBatch batch, CancellationToken cancellationToken)
    {
        await using var transaction = await client.BeginAsync(cancellationToken);
        await RunBatchesAsync(transaction, Cypher.UpsertSources, batch.Sources.Select(SourceRow), cancellationToken);
        await RunBatchesAsync(transaction, Cypher.UpsertNodes, batch.Nodes.Select(NodeRow), cancellationToken);
        await RunBatchesAsync(transaction, Cypher.UpsertFacts, batch.NodeFacts.Select(FactRow), cancellationToken);
        foreach (var group in batch.Relationships.GroupBy(r => r.Type))
        {
            await RunBatchesAsync(transaction, Cypher.UpsertRelationships[group.Key], group.Select(RelationshipRow), cancellationToken);
        }

        await RunBatchesAsync(transaction, Cypher.RecordChanges, batch.Changes.Select(ChangeRow), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ImportCounts(batch.Sources.Count, batch.Nodes.Count, batch.NodeFacts.Count, batch.Relationships.Count);
    }

    public async Task<IReadOnlyDictionary<string, Node>> GetNodesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<string, Node>();
        }

        var result = await client.RunAsync(Cypher.GetNodes, new { ids }, cancellationToken);
        return result.Rows.Select(r => ToNode(r[result.Index("o")], r[result.Index("facts")])).ToDictionary(n => n.Id, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> idsOrAliases, CancellationToken cancellationToken)
    {
        var result = await client.RunAsync(Cypher.Resolve, new { keys = idsOrAliases }, cancellationToken);
        return result.Rows.Where(r => r[1].ValueKind == JsonValueKind.String).ToDictionary(r => r[0].GetString()!, r => r[1].GetString()!, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<string, Source>();
        }

        var result = await client.RunAsync(Cypher.GetSources, new { ids }, cancellationToken);
        return result.Rows.Select(r => ToSource(Properties(r[0]))).ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<Source>> ListSourcesAsync(CancellationToken cancellationToken)
    {
        var result = await client.RunAsync(Cypher.ListSources, null, cancellationToken);
        return [.. result.Rows.Select(r => ToSource(Properties(r[0])))];
    }

    public async Task<NodePage> FindNodesAsync(NodeQuery query, CancellationToken cancellationToken)
    {
        var result = await client.RunAsync(Cypher.FindNodes, new
        {
            kinds = query.Kinds?.Select(EnumNames.ToWire).ToList(),
            sector = query.Sector is { } sector ? EnumNames.ToWire(sector) : null,
            asOf = Date(query.AsOf),
            name = query.NameContains,
            within = query.Within,
            after = query.AfterId,
            limit = query.First,
            first = query.First,
        }, cancellationToken);
        var nodes = result.Rows.Where(r => r[result.Index("o")].ValueKind == JsonValueKind.Object)
            .Select(r => ToNode(r[result.Index("o")], r[result.Index("facts")])).ToList();
        var first = result.Rows.FirstOrDefault();
        return new NodePage(nodes, first?[result.Index("total")].GetInt32() ?? 0, first?[result.Index("more")].GetBoolean() ?? false);
    }

    public async Task<IReadOnlyList<Node>> SearchAsync(string text, int first, CancellationToken cancellationToken)
    {
        // Each word as a prefix term; Lucene syntax in the input is reduced to words, so it cannot change the query.
        var words = WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();
        if (words.Count == 0 || first == 0)
        {
            return [];
        }

        var result = await client.RunAsync(Cypher.Search, new { query = string.Join(" AND ", words.Select(w => w + "*")), exact = text.Trim(), first }, cancellationToken);
        return [.. result.Rows.Select(r => ToNode(r[result.Index("o")], r[result.Index("facts")]))];
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Relationship>>> GetRelationshipsAsync(
        IReadOnlyCollection<string> nodeIds, RelationshipFilter filter, CancellationToken cancellationToken)
    {
        var parameters = new { ids = nodeIds, types = filter.Types?.Select(EnumNames.ToWire).ToList(), asOf = Date(filter.AsOf) };
        var rows = new List<(string Key, Relationship Relationship, string Other)>();
        if (nodeIds.Count > 0 && filter.Direction is Direction.Outgoing or Direction.Both)
        {
            var result = await client.RunAsync(Cypher.GetOutgoing, parameters, cancellationToken);
            rows.AddRange(result.Rows.Select(r => (r[0].GetString()!, ToRelationship(r[1].GetString()!, r[2].GetString()!, r[3].GetString()!, r[4]), r[3].GetString()!)));
        }

        if (nodeIds.Count > 0 && filter.Direction is Direction.Incoming or Direction.Both)
        {
            var result = await client.RunAsync(Cypher.GetIncoming, parameters, cancellationToken);
            rows.AddRange(result.Rows.Select(r => (r[0].GetString()!, ToRelationship(r[1].GetString()!, r[2].GetString()!, r[3].GetString()!, r[4]), r[2].GetString()!)));
        }

        return rows.GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<Relationship>)g
            .OrderBy(r => EnumNames.ToWire(r.Relationship.Type), StringComparer.Ordinal).ThenBy(r => Start(r.Relationship.ValidFrom), StringComparer.Ordinal).ThenBy(r => r.Other, StringComparer.Ordinal)
            .Select(r => r.Relationship).ToList(), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<GraphPath>> WhoControlsAsync(string id, TraversalQuery query, CancellationToken cancellationToken)
    {
        var parameters = new { id, asOf = Date(query.AsOf), kinds = Kinds(query), maxHops = query.MaxHops };
        var beyond = await client.RunAsync(Cypher.WhoControlsBeyond, parameters, cancellationToken);
        if (beyond.Rows.Count > 0 && beyond.Rows[0][0].GetBoolean())
        {
            throw new TraversalLimitException($"a control chain is longer than maxHops ({query.MaxHops}); raise maxHops (at most the server's limit) or narrow kinds");
        }

        var result = await client.RunAsync(Cypher.WhoControls, parameters, cancellationToken);
        if (result.Rows.Count > Traversal.Traversals.MaxChains)
        {
            throw new TraversalLimitException($"more than {Traversal.Traversals.MaxChains} control chains; give asOf or kinds to narrow the question");
        }

        // Cypher walks from the controlled up; a chain reads controller first.
        return [.. result.Rows.Select(r => Reverse(ToPath(r[0], null)))];
    }

    public async Task<IReadOnlyList<GraphPath>> ControlledByAsync(string id, TraversalQuery query, CancellationToken cancellationToken)
    {
        var result = await client.RunAsync(Cypher.ControlledBy, new
        {
            id,
            asOf = Date(query.AsOf),
            kinds = Kinds(query),
            nodeKinds = query.NodeKinds?.Select(EnumNames.ToWire).ToList(),
            maxHops = query.MaxHops,
            first = query.First,
        }, cancellationToken);
        return [.. result.Rows.Select(r => ToPath(r[0], null))];
    }

    public async Task<IReadOnlyList<GraphPath>> PrivatisationPathsAsync(string id, TraversalQuery query, CancellationToken cancellationToken)
    {
        if (query.IncludePayments || query.Order == PathOrder.Money)
        {
            // PAID relationships are one a month here: a step per (body, supplier) pair summed over a window, and a ranking by it,
            // would need the index's aggregation rewritten in Cypher (docs/money.md).
            throw new NotSupportedException("privatisationPaths with includePayments or orderBy MONEY is served by the embedded SQLite store only");
        }

        var result = await client.RunAsync(Cypher.PrivatisationPaths, new
        {
            id,
            asOf = Date(query.AsOf),
            includeBids = query.IncludeBids,
            maxHops = query.MaxHops,
            first = query.First,
        }, cancellationToken);
        return [.. result.Rows.Select(r => ToPath(r[0], r[1].ValueKind == JsonValueKind.Null ? null : r[1], query.IncludeBids) with { FirstPrivateIndex = Length(r[0]) })];
    }

    public async Task<IReadOnlyList<GraphPath>> ConnectionsAsync(string from, string to, TraversalQuery query, CancellationToken cancellationToken)
    {
        var result = await client.RunAsync(Cypher.Connections, new
        {
            from,
            to,
            asOf = Date(query.AsOf),
            types = query.Types?.Select(EnumNames.ToWire).ToList(),
            maxHops = query.MaxHops,
            first = query.First,
        }, cancellationToken);
        return [.. result.Rows.Select(r => ToPath(r[0], null))];
    }

    public async Task<Lineage> LineageAsync(string id, CancellationToken cancellationToken)
    {
        async Task<List<LineageEntry>> Read(string statement)
        {
            var result = await client.RunAsync(statement, new { id }, cancellationToken);
            return [.. result.Rows.Select(r => new LineageEntry(r[0].GetString()!, ParseDate(r[1].GetString()), r[2].GetInt32()))];
        }

        return new Lineage(await Read(Cypher.Predecessors), await Read(Cypher.Successors));
    }

    /// <summary>Not yet on Neo4j: payment lines and spend roll-ups live in the embedded store only (docs/money.md).</summary>
    public Task<PaymentPage> PaymentsAsync(PaymentQuery query, CancellationToken cancellationToken) => throw MoneyNotSupported();

    /// <inheritdoc cref="PaymentsAsync"/>
    public Task<SpendResult> SpendAsync(SpendQuery query, CancellationToken cancellationToken) => throw MoneyNotSupported();

    /// <inheritdoc cref="PaymentsAsync"/>
    public Task<IReadOnlyList<SupplierMatch>> SupplierMatchesAsync(MatchMethod? method, int first, CancellationToken cancellationToken) => throw MoneyNotSupported();

    /// <summary>Neo4j keeps no supplier evidence: a spend file imported later is matched by name against the nodes only.</summary>
    public Task<IReadOnlyDictionary<string, KnownCompany>> CompanyEvidenceAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, KnownCompany>>(new Dictionary<string, KnownCompany>());

    private static NotSupportedException MoneyNotSupported() =>
        new("payment lines, spend roll-ups and the supplier resolution report are served by the embedded SQLite store only; the Neo4j backend holds the PAID relationships but not the lines");

    public async Task<GraphStats> StatsAsync(string? within, DateOnly? asOf, CancellationToken cancellationToken)
    {
        var parameters = new { within, asOf = Date(asOf) };
        var members = await client.RunAsync(Cypher.StatsMembers, parameters, cancellationToken);
        var byKind = members.Rows.ToDictionary(r => EnumNames.Parse<OrgKind>(r[0].GetString()!), r => r[1].GetInt32());
        var systems = await client.RunAsync(Cypher.StatsIcs, parameters, cancellationToken);
        var commissioning = await client.RunAsync(Cypher.StatsCommissioning, new { ics = systems.Rows.Select(r => r[0].GetString()!).ToList(), asOf = Date(asOf) }, cancellationToken);
        var perIcs = commissioning.Rows.GroupBy(r => r[0].GetString()!, StringComparer.Ordinal).Select(g =>
        {
            var bySector = g.Where(r => r[1].ValueKind == JsonValueKind.String).ToDictionary(r => EnumNames.Parse<Sector>(r[1].GetString()!), r => r[2].GetInt32());
            return new IcsCommissioning(g.Key, bySector.Values.Sum(), bySector, g.Sum(r => r[3].GetInt32()));
        }).ToList();
        return new GraphStats(byKind.Values.Sum(), byKind, perIcs);
    }

    private async Task RunBatchesAsync(QueryApiClient.Transaction transaction, string statement, IEnumerable<object> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(Math.Max(1, options.BatchSize)))
        {
            await transaction.RunAsync(statement, new { rows = chunk }, cancellationToken);
        }
    }

    private static object SourceRow(Source s) => new
    {
        id = s.Id,
        props = new { title = s.Title, publisher = s.Publisher, url = s.Url, published = Date(s.Published), retrieved = Date(s.Retrieved), licence = s.Licence },
    };

    private static object NodeRow(Node n) => new
    {
        id = n.Id,
        props = new
        {
            name = n.Name,
            kind = EnumNames.ToWire(n.Kind),
            sector = EnumNames.ToWire(n.Sector),
            validFrom = Start(n.ValidFrom),
            validTo = End(n.ValidTo),
            confidence = EnumNames.ToWire(n.Confidence),
            sources = n.SourceIds,
            properties = n.Properties,
        },
    };

    private static object FactRow((string NodeId, NodeFactKind Kind, DatedValue Value) f) => new
    {
        nodeId = f.NodeId,
        fact = EnumNames.ToWire(f.Kind),
        value = f.Value.Value,
        validFrom = Start(f.Value.ValidFrom),
        props = new { scheme = f.Value.Scheme is { } scheme ? EnumNames.ToWire(scheme) : null, validTo = End(f.Value.ValidTo), sources = f.Value.SourceIds },
    };

    private static object RelationshipRow(Relationship r)
    {
        using var properties = JsonDocument.Parse(r.Properties);
        double? share = properties.RootElement.TryGetProperty("share", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
        return new
        {
            from = r.From,
            to = r.To,
            validFrom = Start(r.ValidFrom),
            props = new
            {
                key = KeyOf(r),
                validTo = End(r.ValidTo),
                confidence = EnumNames.ToWire(r.Confidence),
                sources = r.SourceIds,
                properties = r.Properties,
                share,
            },
        };
    }

    /// <summary>A stable key for a relationship (its identity is type, ends and start date), as the SQLite store's row key is.</summary>
    private static long KeyOf(Relationship r) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"{EnumNames.ToWire(r.Type)}|{r.From}|{r.To}|{Start(r.ValidFrom)}")), 0) & long.MaxValue;

    private static Node ToNode(JsonElement node, JsonElement facts)
    {
        var p = Properties(node);
        var all = facts.ValueKind == JsonValueKind.Array ? facts.EnumerateArray().Select(f => Properties(f)).ToList() : [];
        List<DatedValue> Facts(NodeFactKind kind) => [.. all
            .Where(f => Text(f, "fact") == EnumNames.ToWire(kind))
            .Select(f => new DatedValue
            {
                Value = Text(f, "value")!,
                Scheme = Text(f, "scheme") is { } scheme ? EnumNames.Parse<AliasScheme>(scheme) : null,
                ValidFrom = ParseDate(Text(f, "validFrom")),
                ValidTo = ParseDate(Text(f, "validTo")),
                SourceIds = Strings(f, "sources"),
            })
            .OrderBy(v => Start(v.ValidFrom), StringComparer.Ordinal).ThenBy(v => v.Value, StringComparer.Ordinal)];
        return new Node
        {
            Id = Text(p, "id")!,
            Name = Text(p, "name")!,
            Kind = EnumNames.Parse<OrgKind>(Text(p, "kind")!),
            Sector = EnumNames.Parse<Sector>(Text(p, "sector")!),
            ValidFrom = ParseDate(Text(p, "validFrom")),
            ValidTo = ParseDate(Text(p, "validTo")),
            Confidence = EnumNames.Parse<Confidence>(Text(p, "confidence") ?? "OFFICIAL"),
            SourceIds = Strings(p, "sources"),
            Properties = Text(p, "properties") ?? "{}",
            Names = Facts(NodeFactKind.Name),
            Roles = Facts(NodeFactKind.Role),
            Aliases = Facts(NodeFactKind.Alias),
        };
    }

    private static Source ToSource(JsonElement p) => new()
    {
        Id = Text(p, "id")!,
        Title = Text(p, "title") ?? "",
        Publisher = Text(p, "publisher"),
        Url = Text(p, "url"),
        Published = ParseDate(Text(p, "published")),
        Retrieved = ParseDate(Text(p, "retrieved")),
        Licence = Text(p, "licence"),
    };

    private static Relationship ToRelationship(string type, string from, string to, JsonElement relationship)
    {
        var p = Properties(relationship);
        return new Relationship
        {
            Key = p.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.Number ? key.GetInt64() : 0,
            Type = EnumNames.Parse<RelationshipType>(type),
            From = from,
            To = to,
            ValidFrom = ParseDate(Text(p, "validFrom")),
            ValidTo = ParseDate(Text(p, "validTo")),
            Confidence = EnumNames.Parse<Confidence>(Text(p, "confidence") ?? "OFFICIAL"),
            SourceIds = Strings(p, "sources"),
            Properties = Text(p, "properties") ?? "{}",
        };
    }

    /// <summary>
    /// A path as the Query API's plain JSON gives it (nodes and relationships alternating), optionally followed by
    /// a second path that starts where the first ends, as one <see cref="GraphPath"/>.
    /// </summary>
    internal static GraphPath ToPath(JsonElement path, JsonElement? continuation, bool includeBids = false)
    {
        var elements = path.EnumerateArray().ToList();
        if (continuation is { } more)
        {
            elements.AddRange(more.EnumerateArray().Skip(1));
        }

        var nodes = elements.Where((_, i) => i % 2 == 0).ToList();
        var ids = nodes.Select(n => Text(Properties(n), "id")!).ToList();
        var byElement = nodes.Select((n, i) => (Element: Text(n, "elementId")!, Id: ids[i])).DistinctBy(p => p.Element).ToDictionary(p => p.Element, p => p.Id);
        var kinds = nodes.ToDictionary(n => Text(Properties(n), "id")!, n => EnumNames.Parse<OrgKind>(Text(Properties(n), "kind")!));
        var steps = new List<PathStep>();
        for (var i = 1; i < elements.Count; i += 2)
        {
            var r = elements[i];
            var (from, to) = (byElement[Text(r, "startNodeElementId")!], byElement[Text(r, "endNodeElementId")!]);
            var relationship = ToRelationship(Text(r, "type")!, from, to, r);
            steps.Add(new PathStep
            {
                Relationship = relationship,
                From = ids[i / 2],
                To = ids[(i / 2) + 1],
                Direction = from == ids[i / 2] ? Direction.Outgoing : Direction.Incoming,
                ControlKind = ControlKindOf(relationship.Type, kinds[relationship.To], includeBids),
                InfluenceOnly = relationship.Type == RelationshipType.OwnedBy && Share(relationship) is <= 50,
                Amount = PathMoney.AwardValue(relationship),
                AmountKind = PathMoney.AwardValue(relationship) is null ? null : AmountKind.AwardValue,
            });
        }

        var start = steps.Select(s => Start(s.Relationship.ValidFrom)).DefaultIfEmpty(OpenStart).Max(StringComparer.Ordinal);
        var end = steps.Select(s => End(s.Relationship.ValidTo)).DefaultIfEmpty(OpenEnd).Min(StringComparer.Ordinal);
        return new GraphPath { Nodes = ids, Steps = steps, Period = new Period(ParseDate(start), ParseDate(end)) };
    }

    private static GraphPath Reverse(GraphPath path) => path with
    {
        Nodes = [.. path.Nodes.Reverse()],
        Steps = [.. path.Steps.Reverse().Select(s => s with
        {
            From = s.To,
            To = s.From,
            Direction = s.Direction == Direction.Outgoing ? Direction.Incoming : Direction.Outgoing,
        })],
    };

    private static int Length(JsonElement path) => path.GetArrayLength() / 2;

    /// <summary>The control kind of a relationship (DESIGN.md), given the kind of the organisation it points to.</summary>
    private static ControlKind? ControlKindOf(RelationshipType type, OrgKind toKind, bool includeBids) => type switch
    {
        RelationshipType.PartOf => toKind is OrgKind.NationalBody or OrgKind.Region or OrgKind.Ics ? ControlKind.Oversight : null,
        RelationshipType.AccountableTo => ControlKind.Oversight,
        RelationshipType.CommissionedBy => ControlKind.Commissioning,
        RelationshipType.OperatedBy => ControlKind.Operation,
        RelationshipType.OwnedBy => ControlKind.Ownership,
        RelationshipType.AwardedTo => ControlKind.Contract,
        RelationshipType.BidFor => includeBids ? ControlKind.Contract : null,
        _ => null,
    };

    private static double? Share(Relationship r)
    {
        using var doc = JsonDocument.Parse(r.Properties);
        return doc.RootElement.TryGetProperty("share", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
    }

    private static List<string>? Kinds(TraversalQuery query) => query.Kinds?.Select(EnumNames.ToWire).ToList();

    private static JsonElement Properties(JsonElement entity) =>
        entity.TryGetProperty("properties", out var p) ? p : entity;

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString()!)] : [];

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Start(DateOnly? date) => Date(date) ?? OpenStart;

    private static string End(DateOnly? date) => Date(date) ?? OpenEnd;

    private static DateOnly? ParseDate(string? text) =>
        text is null or OpenStart or OpenEnd ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
