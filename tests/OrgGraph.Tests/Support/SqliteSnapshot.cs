using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace OrgGraph.Tests.Support;

/// <summary>
/// What a SQLite store file holds, read directly (not through the store): each table's row count and, when asked,
/// a hash of its rows. Two equal snapshots mean nothing was written in between. The full-text index's tables are
/// left out (they are derived from nodes and names).
/// </summary>
public static class SqliteSnapshot
{
    /// <summary>The graph's own tables, for comparing two stores that should hold the same graph.</summary>
    public static readonly string[] GraphTables = ["sources", "nodes", "node_facts", "relationships"];

    /// <summary>
    /// The snapshot of <paramref name="tables"/> (all when null), each hashed when <paramref name="content"/>, except those in
    /// <paramref name="summarised"/>, given as their row count (for tables too large to hash on every call).
    /// </summary>
    public static async Task<string> TakeAsync(string databasePath, bool content = true, IReadOnlyCollection<string>? tables = null,
        IReadOnlyCollection<string>? summarised = null)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' AND name NOT LIKE 'sqlite%' ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        var snapshot = new StringBuilder();
        foreach (var table in names.Where(n => tables is null || tables.Contains(n)))
        {
            await using var command = connection.CreateCommand();
            var summary = summarised?.Contains(table) == true;
            command.CommandText = summary || !content ? $"SELECT count(*) FROM \"{table}\"" : $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            if (summary || !content)
            {
                await reader.ReadAsync();
                snapshot.Append(table).Append('=').Append(reader.GetValue(0)).Append(' ');
                continue;
            }

            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join("\u001f", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "\u0000" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }

            rows.Sort(StringComparer.Ordinal);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001e", rows))))[..16];
            snapshot.Append(table).Append('=').Append(rows.Count).Append(':').Append(hash).Append(' ');
        }

        return snapshot.ToString().TrimEnd();
    }
}
