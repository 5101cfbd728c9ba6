using System.ComponentModel.DataAnnotations;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace OrgGraph.Api.GraphQL;

/// <summary>The cache of parsed and validated GraphQL documents (section <c>GraphQL:DocumentCache</c>).</summary>
public sealed class DocumentCacheOptions
{
    public const string Section = "GraphQL:DocumentCache";

    /// <summary>
    /// Total length, in characters, of the query texts whose documents are kept; the least recently used go
    /// first when it is reached. Memory use is roughly ten times this. Default 1,000,000 (about 10 MB). 0 turns the cache off.
    /// </summary>
    [Range(0, 1_000_000_000)]
    public long SizeLimit { get; set; } = 1_000_000;
}

/// <summary>
/// Repeated identical query texts skip parsing and validation, the way GraphQL.NET's own document cache does it
/// (an <see cref="IConfigureExecution"/> step, keyed by the query text): a document is cached only once it has
/// passed validation and run; on a hit the executor gets the parsed document and runs only the rules that
/// depend on the request rather than the document.
/// </summary>
/// <remarks>
/// What still happens for a cached document, every time: variables are coerced and checked against their
/// declared types, argument values are built from them, the operation named by <c>operationName</c> is
/// selected, <see cref="ExecutionOptions.CachedDocumentValidationRules"/> run (the endpoint puts its GET rule
/// there), and so does the complexity analyzer when the cost can differ between requests: its cost depends on
/// argument values and so on variables (<c>first: $n</c>), and on the operation chosen; GraphQL.NET's
/// <c>AddComplexityAnalyzer</c> leaves it out of the cached rules, which would let variables lift a cheap
/// cached document over the limit.
/// </remarks>
internal sealed class DocumentCache : IConfigureExecution, IDisposable
{
    private readonly MemoryCache? _documents;
    private long _hits;

    public DocumentCache(IOptions<DocumentCacheOptions> options)
    {
        var sizeLimit = options.Value.SizeLimit;
        _documents = sizeLimit > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimit, CompactionPercentage = 0.25 }) : null;
    }

    /// <summary>After the option steps (100) that add validation rules, like GraphQL.NET's cache.</summary>
    public float SortOrder => 200;

    /// <summary>How many documents are cached now.</summary>
    public int Count => _documents?.Count ?? 0;

    /// <summary>How many executions have used a cached document.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Whether the document of this query text is cached.</summary>
    public bool Contains(string query) => _documents?.TryGetValue(query, out _) == true;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (_documents is null || options.Document is not null || options.DocumentId is not null || options.Query is not { } query)
        {
            return await next(options).ConfigureAwait(false);
        }

        if (_documents.TryGetValue(query, out Entry? cached) && cached is not null)
        {
            Interlocked.Increment(ref _hits);
            options.Document = cached.Document;
            options.ValidationRules = RulesForCachedDocument(options, cached.CostDependsOnRequest);
        }

        var result = await next(options).ConfigureAwait(false);

        // Executed means it parsed, validated (variables included) and ran: only such documents are kept.
        if (cached is null && result.Executed && result.Document is { } validated)
        {
            _documents.Set(query, new Entry(validated, CostDependsOnRequest(validated)), new MemoryCacheEntryOptions { Size = query.Length });
        }

        return result;
    }

    private static IEnumerable<IValidationRule> RulesForCachedDocument(ExecutionOptions options, bool costDependsOnRequest)
    {
        var always = options.CachedDocumentValidationRules ?? [];
        return costDependsOnRequest
            ? always.Concat((options.ValidationRules ?? []).Where(rule => rule is ComplexityValidationRule)).Distinct().ToArray()
            : always;
    }

    /// <summary>
    /// Whether the cost of a document can differ between requests: when it declares variables (their values
    /// become arguments such as <c>first</c>) or holds several operations (<c>operationName</c> picks one).
    /// Otherwise every argument is a literal or a default and the cost checked on the first run stands.
    /// </summary>
    private static bool CostDependsOnRequest(GraphQLDocument document)
    {
        var operations = 0;
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLOperationDefinition operation && (++operations > 1 || operation.Variables is { Count: > 0 }))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Entry(GraphQLDocument Document, bool CostDependsOnRequest);

    public void Dispose() => _documents?.Dispose();
}

internal static class DocumentCacheRegistration
{
    /// <summary>Registers the document cache as a step of every GraphQL execution.</summary>
    public static IServiceCollection AddGraphQLDocumentCache(this IServiceCollection services)
    {
        services.AddOptions<DocumentCacheOptions>().BindConfiguration(DocumentCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DocumentCache>();
        services.AddSingleton<IConfigureExecution>(sp => sp.GetRequiredService<DocumentCache>());
        return services;
    }
}
