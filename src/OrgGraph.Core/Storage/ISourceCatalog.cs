using OrgGraph.Model;

namespace OrgGraph.Storage;

/// <summary>
/// An optional capability of a store: listing every source, including those no node or relationship cites
/// (<see cref="IGraphStore"/> only looks sources up by id). A whole-graph export uses it when the store has it.
/// </summary>
public interface ISourceCatalog
{
    /// <summary>Every source, ordered by id.</summary>
    Task<IReadOnlyList<Source>> ListSourcesAsync(CancellationToken cancellationToken);
}
