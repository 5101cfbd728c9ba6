using OrgGraph.Model;

namespace OrgGraph.Storage.Sqlite;

/// <summary>Lists every source, for whole-graph exports (<see cref="ISourceCatalog"/>).</summary>
public sealed partial class SqliteGraphStore : ISourceCatalog
{
    public async Task<IReadOnlyList<Source>> ListSourcesAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using (var lease = await LeaseAsync(cancellationToken))
        await using (var command = Command(lease.Connection, "SELECT id FROM sources ORDER BY id", lease.Transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }

        var sources = await GetSourcesAsync(ids, cancellationToken);
        return [.. ids.Where(sources.ContainsKey).Select(id => sources[id])];
    }
}
