namespace OrgGraph.Storage;

public static class NodePages
{
    /// <summary>
    /// Every node <paramref name="query"/> selects, a page of <see cref="NodeQuery.First"/> at a time, in id order
    /// (keyset paging, so the store never skips rows).
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<Model.Node>> NodePagesAsync(this IGraphStore store, NodeQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.FindNodesAsync(query, cancellationToken);
            if (page.Nodes.Count == 0)
            {
                yield break;
            }

            yield return page.Nodes;
            if (!page.HasNextPage)
            {
                yield break;
            }

            query = query with { AfterId = page.Nodes[^1].Id };
        }
    }
}
