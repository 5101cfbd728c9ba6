using System.Collections.Concurrent;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Api.GraphQL.Loading;

/// <summary>
/// The batch loaders of one GraphQL request. Relationship loaders are kept per filter, because one
/// store call answers one filter for many nodes.
/// </summary>
internal sealed class Loaders(IGraphStore store)
{
    private readonly ConcurrentDictionary<RelationshipFilter, BatchLoader<string, IReadOnlyList<Relationship>>> _relationships = new(new FilterComparer());

    public BatchLoader<string, Node> Nodes { get; } = new(store.GetNodesAsync);

    public BatchLoader<string, Source> Sources { get; } = new(store.GetSourcesAsync);

    public BatchLoader<string, IReadOnlyList<Relationship>> Relationships(RelationshipFilter filter) =>
        _relationships.GetOrAdd(filter, f => new((ids, ct) => store.GetRelationshipsAsync(ids, f, ct)));

    private sealed class FilterComparer : IEqualityComparer<RelationshipFilter>
    {
        public bool Equals(RelationshipFilter? x, RelationshipFilter? y) =>
            x is not null && y is not null && x.Direction == y.Direction && x.AsOf == y.AsOf &&
            (x.Types ?? []).Order().SequenceEqual((y.Types ?? []).Order());

        public int GetHashCode(RelationshipFilter f) =>
            HashCode.Combine(f.Direction, f.AsOf, (f.Types ?? []).Aggregate(0, (h, t) => h | (1 << (int)t)));
    }
}
