namespace OrgGraph.Model;

/// <summary>What an audited write through the API did.</summary>
public enum ChangeAction
{
    UpsertOrganisation,
    RetireOrganisation,
    UpsertRelationship,
    RetireRelationship,
    UpsertSource,
    ImportCsv,
}

/// <summary>
/// One audited write: who made it (the id of the API key, never the key), when, what it wrote, on which sources,
/// and the records as they were before and after (JSON), so a value an upsert replaced stays recoverable.
/// A store writes it in the same transaction as the write it describes, and never changes or deletes it.
/// </summary>
public sealed record Change
{
    public required string Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string KeyId { get; init; }
    public required ChangeAction Action { get; init; }
    /// <summary>What was written, in words: an organisation id, a relationship, a source id, the files of an import.</summary>
    public required string Subject { get; init; }
    /// <summary>The organisations the write touched (both ends of a relationship), so each one's history can be listed.</summary>
    public IReadOnlyList<string> NodeIds { get; init; } = [];
    /// <summary>The sources the write cites.</summary>
    public IReadOnlyList<string> SourceIds { get; init; } = [];
    /// <summary>The records the write replaced, as JSON; null when it created them.</summary>
    public string? Before { get; init; }
    /// <summary>The records as written, as JSON.</summary>
    public string? After { get; init; }
}
