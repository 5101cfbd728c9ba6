namespace OrgGraph.Model;

/// <summary>
/// How finely a spend file reports money. Totals of different granularities are not comparable: a monthly
/// aggregate holds everything paid, a £25k file only the large transactions, invoice lines the parts of them.
/// </summary>
public enum SpendGranularity
{
    /// <summary>One line per supplier per month, all spend (compiled monthly files).</summary>
    MonthlyAggregate,
    /// <summary>Transactions of £25,000 or more (the usual trust and CCG publication).</summary>
    OverThreshold,
    /// <summary>Invoice lines, most under £25,000, of transactions that pass the threshold, or all spend.</summary>
    InvoiceLines,
}

/// <summary>One payment line of a spend file, as published, with the file and line it came from.</summary>
public sealed record PaymentLine
{
    /// <summary>The paying body's node id.</summary>
    public required string BodyId { get; init; }
    /// <summary>The node the supplier resolved to (a company, an NHS body, or an unresolved supplier node).</summary>
    public required string SupplierId { get; init; }
    /// <summary>The supplier as published; null when withheld because it names an individual (DESIGN.md, people).</summary>
    public string? Supplier { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>Signed amount in pence (credit notes are negative).</summary>
    public required long AmountPence { get; init; }
    public string? ExpenseType { get; init; }
    public string? ExpenseArea { get; init; }
    public string? TransactionNumber { get; init; }
    public required SpendGranularity Granularity { get; init; }
    public required string SourceId { get; init; }
    /// <summary>The file's path as the manifest names it, and the 1-based line the record starts on.</summary>
    public required string File { get; init; }
    public required int Line { get; init; }

    public decimal Amount => AmountPence / 100m;
}

/// <summary>
/// Evidence that a supplier spelling names a registered company: a reconciliation table row, an award's or an
/// ownership statement's company number, with where it was read. Kept in the store, so a later spend file is matched
/// by the evidence earlier imports brought.
/// </summary>
public sealed record KnownCompany(string Number, string Name, bool CommunityInterest, string SourceId, string File, int Line);

/// <summary>How a supplier string was matched to a node, for the resolution report.</summary>
public enum MatchMethod
{
    /// <summary>A company number the data gives (a reconciliation table, an award, an ownership statement).</summary>
    CompanyNumber,
    /// <summary>The normalised name equals one organisation's normalised name.</summary>
    ExactName,
    /// <summary>A similar name; never merged, kept as a candidate on the unresolved supplier.</summary>
    SimilarName,
    /// <summary>No match; the supplier stays a node of its own, marked unresolved.</summary>
    Unresolved,
    /// <summary>The supplier names a person (a title, "&amp; partners"); withheld and pooled.</summary>
    Withheld,
}

/// <summary>One line of the supplier resolution report.</summary>
public sealed record SupplierMatch
{
    /// <summary>The normalised supplier name (the key matching works on).</summary>
    public required string SupplierKey { get; init; }
    /// <summary>A spelling as published (null when withheld).</summary>
    public string? Example { get; init; }
    /// <summary>The node the supplier's payments go to.</summary>
    public required string NodeId { get; init; }
    public required MatchMethod Method { get; init; }
    /// <summary>1 for a company number or an exact name; the similarity for a similar name; 0 otherwise.</summary>
    public required double Score { get; init; }
    /// <summary>For a similar name: the organisation it resembles (not merged).</summary>
    public string? CandidateId { get; init; }
    /// <summary>What backs the match (the reconciliation file's source id, or the candidate's name).</summary>
    public string? Evidence { get; init; }
    public required int Lines { get; init; }
}

/// <summary>Which payment lines <c>payments</c> returns.</summary>
public sealed record PaymentQuery
{
    public string? From { get; init; }
    public string? To { get; init; }
    public DateOnly? Start { get; init; }
    public DateOnly? End { get; init; }
    public int First { get; init; } = 100;
    /// <summary>Keyset paging: lines after this (date, source, line) position.</summary>
    public PaymentCursor? After { get; init; }
}

public sealed record PaymentCursor(DateOnly Date, string SourceId, int Line);

/// <summary>A page of payment lines, with the total and coverage of every line that matched (not only the page).</summary>
public sealed record PaymentPage(IReadOnlyList<PaymentLine> Lines, int TotalCount, bool HasNextPage, long TotalPence, Coverage Coverage);

public enum SpendGrouping
{
    Supplier,
    Sector,
    UltimateOwner,
}

/// <summary>Totals of the payments by the bodies within a node, between two dates.</summary>
public sealed record SpendQuery
{
    public required string Within { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public SpendGrouping GroupBy { get; init; } = SpendGrouping.Supplier;
}

/// <summary>One total: a supplier, a sector (wire name) or an ultimate owner, with how many lines and suppliers make it.</summary>
public sealed record SpendGroup(string Key, long TotalPence, int Lines, int Suppliers);

public sealed record SpendResult(IReadOnlyList<SpendGroup> Groups, long TotalPence, Coverage Coverage);

/// <summary>
/// What a total covers: each body with the months it has lines in and the granularity of its files. A total
/// over bodies or months of different granularity is not comparable; <see cref="Warnings"/> says why.
/// </summary>
public sealed record Coverage(IReadOnlyList<BodyCoverage> Bodies, IReadOnlyList<SpendGranularity> Granularities, bool Comparable, IReadOnlyList<string> Warnings)
{
    public static readonly Coverage Empty = new([], [], true, []);
}

public sealed record BodyCoverage(string BodyId, IReadOnlyList<string> Months, IReadOnlyList<SpendGranularity> Granularities, int Lines);
