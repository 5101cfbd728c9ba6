using OrgGraph.Model;

namespace OrgGraph.Api.Writes;

/// <summary>An organisation to create or replace (mutation <c>upsertOrganisation</c>).</summary>
internal sealed record OrganisationInput
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required OrgKind Kind { get; init; }
    public required Sector Sector { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public Confidence? Confidence { get; init; }
    public required IReadOnlyList<string> SourceUrls { get; init; }
    public IReadOnlyList<PropertyInput>? Properties { get; init; }
}

/// <summary>A relationship to create or replace (mutation <c>upsertRelationship</c>), identified by type, ends and start date.</summary>
internal sealed record RelationshipInput
{
    public required RelationshipType Type { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public Confidence? Confidence { get; init; }
    public required IReadOnlyList<string> SourceUrls { get; init; }
    public IReadOnlyList<PropertyInput>? Properties { get; init; }
}

/// <summary>The relationship to retire (mutation <c>retireRelationship</c>) and when it ended.</summary>
internal sealed record RetireRelationshipInput
{
    public required RelationshipType Type { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public required DateOnly ValidTo { get; init; }
    public required IReadOnlyList<string> SourceUrls { get; init; }
}

/// <summary>A source to create or replace (mutation <c>upsertSource</c>); its id defaults to the one derived from its URL.</summary>
internal sealed record SourceInput
{
    public string? Id { get; init; }
    public required string Title { get; init; }
    public string? Publisher { get; init; }
    public string? Url { get; init; }
    public DateOnly? Published { get; init; }
    public DateOnly? Retrieved { get; init; }
    public string? Licence { get; init; }
}

/// <summary>A scalar property: at most one of text, number or boolean (none means null).</summary>
internal sealed record PropertyInput
{
    public required string Key { get; init; }
    public string? Text { get; init; }
    public double? Number { get; init; }
    public bool? Boolean { get; init; }
}

/// <summary>One file of a CSV upload (mutation <c>importCsv</c>): its name (sources.csv, nodes.csv, ...) and its text.</summary>
internal sealed record CsvFileInput
{
    public required string Name { get; init; }
    public required string Content { get; init; }
}

/// <summary>What <c>importCsv</c> did: the counts written, or the problems that stopped it (then nothing was written).</summary>
internal sealed record CsvImportResult(bool Imported, ImportCounts Counts, IReadOnlyList<OrgGraph.Importing.ImportProblem> Problems, string? ChangeId);
