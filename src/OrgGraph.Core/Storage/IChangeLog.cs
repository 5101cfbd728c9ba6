using OrgGraph.Model;

namespace OrgGraph.Storage;

/// <summary>
/// The audit trail of writes made through the API (<see cref="GraphBatch.Changes"/>, written with the batch they
/// describe). Append-only: nothing here is ever updated or deleted.
/// </summary>
public interface IChangeLog
{
    /// <summary>The most recent <paramref name="first"/> changes, newest first; only those touching <paramref name="nodeId"/> when given.</summary>
    Task<IReadOnlyList<Change>> GetChangesAsync(string? nodeId, int first, CancellationToken cancellationToken);
}
