using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.DI;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace OrgGraph.Api.GraphQL;

/// <summary>
/// The allow-list of persisted queries (section <c>GraphQL:PersistedQueries</c>): an option for production
/// deployments that serve known dashboards only. Off by default.
/// </summary>
public sealed class PersistedQueryOptions
{
    public const string Section = "GraphQL:PersistedQueries";

    /// <summary>
    /// When true, only documents on the list run (plus introspection: the schema is public). A request names a
    /// document by its text, by Apollo's <c>extensions.persistedQuery.sha256Hash</c>, or by <c>documentId</c>
    /// (<c>sha256:HASH</c>). Default false.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// A JSON object mapping the lower-case hex SHA-256 of each allowed document's UTF-8 text to that text.
    /// Relative paths are resolved against the content root. Default <c>persisted-queries.json</c>.
    /// </summary>
    public string Path { get; set; } = "persisted-queries.json";
}

/// <summary>Client-visible codes of the persisted query step.</summary>
internal static class PersistedQueryCodes
{
    /// <summary>The hash (or documentId) is not on the list; Apollo clients then send the full text.</summary>
    public const string NotFound = "PERSISTED_QUERY_NOT_FOUND";

    /// <summary>The allow-list is on and the document is not on it.</summary>
    public const string NotAllowed = "PERSISTED_QUERY_NOT_ALLOWED";

    /// <summary>A hash-only request while the allow-list is off; Apollo clients then stop sending hashes.</summary>
    public const string NotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";
}

/// <summary>The allowed documents, by hash. Loaded and checked (every hash must match its text) at start.</summary>
internal sealed class PersistedQueryList
{
    private PersistedQueryList(IReadOnlyDictionary<string, string> byHash) => ByHash = byHash;

    public IReadOnlyDictionary<string, string> ByHash { get; }

    public static string Hash(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));

    /// <summary>Reads the list; throws <see cref="InvalidDataException"/> naming the file and the bad entry.</summary>
    public static PersistedQueryList Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: the persisted query list does not exist.");
        }

        Dictionary<string, string>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a JSON object of SHA-256 hash to query text: {e.Message}");
        }

        var byHash = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (hash, query) in entries ?? [])
        {
            if (query is null || !hash.Equals(Hash(query), StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{path}: the entry '{hash}' is not the SHA-256 (lower-case hex, of the UTF-8 text) of its query.");
            }

            byHash[hash.ToLowerInvariant()] = query;
        }

        return new PersistedQueryList(byHash);
    }
}

/// <summary>
/// A step of every execution, before the document cache: resolves a hash or documentId to its document and, with
/// the allow-list on, refuses any other document unless it only asks for introspection. Refusals are errors
/// before execution (HTTP 400 with <c>application/graphql-response+json</c>).
/// </summary>
internal sealed class PersistedQueryStep(IOptions<PersistedQueryOptions> options, IServiceProvider services) : IConfigureExecution
{
    private readonly Lazy<PersistedQueryList> _list = new(services.GetRequiredService<PersistedQueryList>);

    /// <summary>After the option steps (100), before the document cache (200), which then keys on the resolved text.</summary>
    public float SortOrder => 150;

    public Task<ExecutionResult> ExecuteAsync(ExecutionOptions execution, ExecutionDelegate next)
    {
        var hash = RequestedHash(execution, out var malformed);
        if (malformed is not null)
        {
            return Refuse("BAD_REQUEST", malformed);
        }

        if (!options.Value.Enabled)
        {
            if (hash is not null && execution.Query is null)
            {
                return Refuse(PersistedQueryCodes.NotSupported, "Persisted queries are not enabled on this server; send the query text.");
            }

            execution.DocumentId = null;
            return next(execution);
        }

        var list = _list.Value.ByHash;
        if (hash is not null)
        {
            if (!list.TryGetValue(hash, out var stored))
            {
                return Refuse(PersistedQueryCodes.NotFound, $"No persisted query has the hash '{hash}'.");
            }

            if (execution.Query is { } text && PersistedQueryList.Hash(text) != hash)
            {
                return Refuse("BAD_REQUEST", "The query text does not match the hash it was sent with.");
            }

            execution.Query = stored;
            execution.DocumentId = null;
            return next(execution);
        }

        if (execution.Query is { } query && (list.ContainsKey(PersistedQueryList.Hash(query)) || IsIntrospectionOnly(query)))
        {
            return next(execution);
        }

        return Refuse(PersistedQueryCodes.NotAllowed, "This server runs only the queries on its persisted query list (and introspection).");
    }

    /// <summary>The lower-case hash a request names by Apollo's extension or by documentId, if any.</summary>
    private static string? RequestedHash(ExecutionOptions execution, out string? malformed)
    {
        malformed = null;
        if (execution.DocumentId is { } documentId)
        {
            if (!documentId.StartsWith("sha256:", StringComparison.Ordinal) || !IsSha256(documentId[7..]))
            {
                malformed = "documentId must be 'sha256:' followed by 64 hexadecimal digits.";
                return null;
            }

            return documentId[7..].ToLowerInvariant();
        }

        if (execution.Extensions?.TryGetValue("persistedQuery", out var persisted) != true || persisted is null)
        {
            return null;
        }

        var hash = persisted switch
        {
            IReadOnlyDictionary<string, object?> map => map.GetValueOrDefault("sha256Hash"),
            IDictionary<string, object?> map => map.TryGetValue("sha256Hash", out var value) ? value : null,
            _ => null,
        };
        if (hash is not string text || !IsSha256(text))
        {
            malformed = "extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits.";
            return null;
        }

        return text.ToLowerInvariant();
    }

    private static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigit);

    /// <summary>Whether every operation of the document is a query that selects only introspection fields.</summary>
    internal static bool IsIntrospectionOnly(string query)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query);
        }
        catch (Exception e) when (e is GraphQLParser.Exceptions.GraphQLParserException)
        {
            return false;
        }

        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => f.FragmentName.Name.StringValue).ToDictionary(g => g.Key, g => g.First());
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return operations.Count > 0 && operations.All(o => o.Operation == OperationType.Query && OnlyIntrospection(o.SelectionSet, fragments, []));
    }

    private static bool OnlyIntrospection(GraphQLSelectionSet set, Dictionary<string, GraphQLFragmentDefinition> fragments, HashSet<string> visiting) =>
        set.Selections.All(selection => selection switch
        {
            GraphQLField field => field.Name.StringValue.StartsWith("__", StringComparison.Ordinal),
            GraphQLInlineFragment inline => OnlyIntrospection(inline.SelectionSet, fragments, visiting),
            GraphQLFragmentSpread spread => fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment)
                && visiting.Add(fragment.FragmentName.Name.StringValue)
                && OnlyIntrospection(fragment.SelectionSet, fragments, visiting),
            _ => false,
        });

    private static Task<ExecutionResult> Refuse(string code, string message) =>
        Task.FromResult(new ExecutionResult { Executed = false, Errors = [new ExecutionError(message) { Code = code }] });
}

internal static class PersistedQueryRegistration
{
    /// <summary>
    /// Registers the persisted query step. With <c>GraphQL:PersistedQueries:Enabled</c>, the list is read and
    /// checked when the app starts, so a missing file or a wrong hash stops the start with the reason.
    /// </summary>
    public static IServiceCollection AddPersistedQueries(this IServiceCollection services)
    {
        services.AddOptions<PersistedQueryOptions>().BindConfiguration(PersistedQueryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PersistedQueryOptions>, PersistedQueryListValidation>();
        services.AddSingleton(sp => PersistedQueryList.Load(ResolvePath(sp)));
        services.AddSingleton<IConfigureExecution, PersistedQueryStep>();
        return services;
    }

    internal static string ResolvePath(IServiceProvider services) =>
        Path.Combine(services.GetRequiredService<IHostEnvironment>().ContentRootPath, services.GetRequiredService<IOptions<PersistedQueryOptions>>().Value.Path);

    private sealed class PersistedQueryListValidation(IHostEnvironment environment) : IValidateOptions<PersistedQueryOptions>
    {
        public ValidateOptionsResult Validate(string? name, PersistedQueryOptions options)
        {
            if (!options.Enabled)
            {
                return ValidateOptionsResult.Success;
            }

            try
            {
                PersistedQueryList.Load(Path.Combine(environment.ContentRootPath, options.Path));
                return ValidateOptionsResult.Success;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return ValidateOptionsResult.Fail($"{PersistedQueryOptions.Section}: {e.Message}");
            }
        }
    }
}
