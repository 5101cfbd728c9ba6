using System.ComponentModel.DataAnnotations;

namespace OrgGraph.Api.GraphQL;

/// <summary>Limits of the GraphQL endpoint (section <c>GraphQL</c>). Every limit is on by default.</summary>
public sealed class GraphQLOptions
{
    public const string Section = "GraphQL";

    /// <summary>Deepest selection allowed. Default 15 (the standard introspection query needs 13).</summary>
    [Range(1, 100)]
    public int MaxDepth { get; set; } = 15;

    /// <summary>
    /// Largest estimated cost of a query (each field 1, list fields multiplied by their <c>first</c> argument or 5).
    /// Introspection fields cost nothing, so schema tools always work. Default 15,000 (20,000 aliased fields are refused).
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxComplexity { get; set; } = 15_000;

    /// <summary>
    /// Most field selections (fields, fragment spreads and inline fragments) one document may hold, counted as written
    /// and with every fragment expanded where it is spread. Checked right after parsing, before validation, whose cost
    /// grows with the square of repeated fields. Default 1,000 (20,000 aliased fields are refused here).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxFields { get; set; } = 1_000;

    /// <summary>Most fragment definitions in one document (validation compares every pair). Default 100.</summary>
    [Range(0, 10_000)]
    public int MaxFragments { get; set; } = 100;

    /// <summary>
    /// Largest request: a POST body, or the query string of a GET, in bytes. Larger requests are refused with
    /// 413 (414 for a GET) before they are parsed. Default 262,144 (256 KiB).
    /// </summary>
    [Range(1_024, 100 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>Time a query may run before it is cancelled (the cancellation reaches the store). Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest <c>first</c> for <c>organisations</c> and <c>relationships</c>. Default 1,000.</summary>
    [Range(1, 100_000)]
    public int MaxPageSize { get; set; } = 1_000;

    /// <summary>Largest <c>first</c> for <c>search</c>. Default 100.</summary>
    [Range(1, 10_000)]
    public int MaxSearchResults { get; set; } = 100;

    /// <summary>Largest <c>maxHops</c> of a path query. Default 10.</summary>
    [Range(1, 20)]
    public int MaxHops { get; set; } = 10;

    /// <summary>Largest <c>first</c> of a path query. Default 100.</summary>
    [Range(1, 1_000)]
    public int MaxPathResults { get; set; } = 100;

    /// <summary>Time a path query may run before it is cancelled (the cancellation reaches the traversal). Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan TraversalTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
