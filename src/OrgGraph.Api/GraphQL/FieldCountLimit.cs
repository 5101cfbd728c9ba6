using System.Globalization;
using GraphQL.Execution;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace OrgGraph.Api.GraphQL;

/// <summary>
/// Parses a document and refuses it, before validation, when it is too big to validate cheaply: more fragment
/// definitions than <see cref="GraphQLOptions.MaxFragments"/>, or more field selections than
/// <see cref="GraphQLOptions.MaxFields"/>, counted both as written and with every fragment expanded where it is
/// spread. Validation compares every pair of same-named fields and every pair of fragments (20,000 copies of one
/// field took 30 s to be refused by the complexity limit, 1,000 one-field fragments 8 s), and a 3 KB document whose
/// fragments each spread two others, 25 deep, expands to 2^25 selections (minutes). Counted here with each
/// fragment's size computed once, all are refused in milliseconds. Documents served from the document cache were
/// counted when they were first parsed.
/// </summary>
internal sealed class FieldCountLimit(IDocumentBuilder inner, IOptions<GraphQLOptions> options) : IDocumentBuilder
{
    public GraphQLDocument Build(string body)
    {
        var document = inner.Build(body);
        var limits = options.Value;
        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToList();
        if (fragments.Count > limits.MaxFragments)
        {
            throw new DocumentTooLargeError(
                $"The document defines {fragments.Count} fragments; the limit is {limits.MaxFragments}. Split it into several requests.");
        }

        if (Count(document) > limits.MaxFields)
        {
            throw new DocumentTooLargeError(
                $"The document has more than {limits.MaxFields.ToString("N0", CultureInfo.InvariantCulture)} field selections (fields, fragment spreads and inline fragments, " +
                "counting a fragment's selections wherever it is spread); split it into several requests.");
        }

        return document;
    }

    /// <summary>
    /// The larger of the selections as written (every selection set of the document, fragments included) and the
    /// selections of the operations with fragments expanded. Saturates rather than overflows.
    /// </summary>
    internal static long Count(GraphQLDocument document)
    {
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }

        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var expanding = new HashSet<string>(StringComparer.Ordinal);

        // Iterative within a selection set; recursive only from fragment to fragment (at most MaxFragments deep).
        long Expanded(GraphQLSelectionSet root)
        {
            long total = 0;
            var sets = new Stack<GraphQLSelectionSet>([root]);
            while (sets.TryPop(out var set))
            {
                foreach (var selection in set.Selections)
                {
                    total = Add(total, 1);
                    if (selection is GraphQLFragmentSpread spread)
                    {
                        total = Add(total, FragmentSize(spread.FragmentName.Name.StringValue));
                    }
                    else if (selection is IHasSelectionSetNode { SelectionSet: { } nested })
                    {
                        sets.Push(nested);
                    }
                }
            }

            return total;
        }

        long FragmentSize(string name)
        {
            if (sizes.TryGetValue(name, out var size))
            {
                return size;
            }

            // An unknown fragment or a cycle adds nothing here; validation refuses both.
            if (!fragments.TryGetValue(name, out var fragment) || !expanding.Add(name))
            {
                return 0;
            }

            size = Expanded(fragment.SelectionSet);
            expanding.Remove(name);
            sizes[name] = size;
            return size;
        }

        long written = 0;
        long expanded = 0;
        var pending = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
        {
            if (definition is IHasSelectionSetNode { SelectionSet: { } set })
            {
                pending.Push(set);
                if (definition is GraphQLOperationDefinition)
                {
                    expanded = Add(expanded, Expanded(set));
                }
            }
        }

        while (pending.TryPop(out var set))
        {
            written += set.Selections.Count;
            foreach (var selection in set.Selections)
            {
                if (selection is IHasSelectionSetNode { SelectionSet: { } nested })
                {
                    pending.Push(nested);
                }
            }
        }

        return Math.Max(written, expanded);
    }

    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}

/// <summary>A document too big to validate; refused after parsing, before validation, with the code COMPLEXITY.</summary>
internal sealed class DocumentTooLargeError : DocumentError
{
    public DocumentTooLargeError(string message) : base(message) => Code = "COMPLEXITY";
}

internal static class FieldCountLimitRegistration
{
    /// <summary>
    /// Wraps GraphQL.NET's document builder (call after <c>AddGraphQL</c>, whose builder it replaces) so every
    /// parsed document is checked against <see cref="GraphQLOptions.MaxFields"/> and <see cref="GraphQLOptions.MaxFragments"/>.
    /// </summary>
    public static IServiceCollection AddFieldCountLimit(this IServiceCollection services)
    {
        services.AddSingleton<IDocumentBuilder>(sp => new FieldCountLimit(new GraphQLDocumentBuilder(), sp.GetRequiredService<IOptions<GraphQLOptions>>()));
        return services;
    }
}
