using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OrgGraph.Model;
using static OrgGraph.Storage.Sqlite.SqliteRows;

namespace OrgGraph.Storage.Sqlite;

/// <summary>The audit trail (<see cref="IChangeLog"/>): rows of the append-only <c>changes</c> table, written inside <see cref="UpsertAsync"/>.</summary>
public sealed partial class SqliteGraphStore : IChangeLog
{
    /// <summary>UTC with a fixed width, so text order is time order.</summary>
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public async Task<IReadOnlyList<Change>> GetChangesAsync(string? nodeId, int first, CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        await using var command = Command(lease.Connection, """
            SELECT id, at, key_id, action, subject, nodes, sources, before, after FROM changes c
            WHERE $node IS NULL OR EXISTS (SELECT 1 FROM json_each(c.nodes) WHERE value = $node)
            ORDER BY seq DESC LIMIT $first
            """, lease.Transaction);
        command.Parameters.AddWithValue("$node", (object?)nodeId ?? DBNull.Value);
        command.Parameters.AddWithValue("$first", first);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<Change>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new Change
            {
                Id = reader.GetString(0),
                At = DateTimeOffset.ParseExact(reader.GetString(1), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                KeyId = reader.GetString(2),
                Action = EnumNames.Parse<ChangeAction>(reader.GetString(3)),
                Subject = reader.GetString(4),
                NodeIds = JsonSerializer.Deserialize<string[]>(reader.GetString(5)) ?? [],
                SourceIds = JsonSerializer.Deserialize<string[]>(reader.GetString(6)) ?? [],
                Before = reader.IsDBNull(7) ? null : reader.GetString(7),
                After = reader.IsDBNull(8) ? null : reader.GetString(8),
            });
        }

        return changes;
    }

    private static async Task InsertChangesAsync(SqliteConnection connection, IReadOnlyList<Change> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await using var command = Command(connection, """
            INSERT INTO changes (id, at, key_id, action, subject, nodes, sources, before, after)
            VALUES ($id, $at, $key, $action, $subject, $nodes, $sources, $before, $after)
            """);
        foreach (var c in changes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Set(command, ("$id", c.Id), ("$at", c.At.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)), ("$key", c.KeyId),
                ("$action", EnumNames.ToWire(c.Action)), ("$subject", c.Subject), ("$nodes", Json(c.NodeIds)), ("$sources", Json(c.SourceIds)),
                ("$before", c.Before), ("$after", c.After));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
