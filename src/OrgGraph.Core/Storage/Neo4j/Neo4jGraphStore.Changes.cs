using System.Globalization;
using OrgGraph.Model;

namespace OrgGraph.Storage.Neo4j;

/// <summary>The audit trail (<see cref="IChangeLog"/>) as <c>(:Change)</c> nodes, created inside <see cref="UpsertAsync"/>'s transaction.</summary>
public sealed partial class Neo4jGraphStore : IChangeLog
{
    /// <summary>UTC with a fixed width, so string order is time order.</summary>
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public async Task<IReadOnlyList<Change>> GetChangesAsync(string? nodeId, int first, CancellationToken cancellationToken)
    {
        var result = await client.RunAsync(Cypher.GetChanges, new { nodeId, first }, cancellationToken);
        return [.. result.Rows.Select(r => ToChange(Properties(r[0])))];
    }

    private static object ChangeRow(Change c) => new
    {
        id = c.Id,
        props = new
        {
            at = c.At.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
            keyId = c.KeyId,
            action = EnumNames.ToWire(c.Action),
            subject = c.Subject,
            nodes = c.NodeIds,
            sources = c.SourceIds,
            before = c.Before,
            after = c.After,
        },
    };

    private static Change ToChange(System.Text.Json.JsonElement p) => new()
    {
        Id = Text(p, "id")!,
        At = DateTimeOffset.ParseExact(Text(p, "at")!, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        KeyId = Text(p, "keyId")!,
        Action = EnumNames.Parse<ChangeAction>(Text(p, "action")!),
        Subject = Text(p, "subject") ?? "",
        NodeIds = Strings(p, "nodes"),
        SourceIds = Strings(p, "sources"),
        Before = Text(p, "before"),
        After = Text(p, "after"),
    };
}
