using GraphQL;
using Microsoft.Extensions.Options;
using OrgGraph.Api.GraphQL.Loading;
using OrgGraph.Storage;

namespace OrgGraph.Api.GraphQL;

internal static class ResolveContextExtensions
{
    public static Loaders Loaders(this IResolveFieldContext context) => Service<Loaders>(context);

    public static IGraphStore Store(this IResolveFieldContext context) => Service<IGraphStore>(context);

    public static GraphQLOptions Limits(this IResolveFieldContext context) => Service<IOptions<GraphQLOptions>>(context).Value;

    /// <summary>Reads a page size argument, refusing negative values and values above <paramref name="limit"/>.</summary>
    public static int First(this IResolveFieldContext context, int fallback, int limit, string name = "first")
    {
        var first = context.GetArgument<int?>(name) ?? fallback;
        if (first < 0)
        {
            throw ClientError.InvalidArgument(name, "must not be negative.");
        }

        return first > limit ? throw ClientError.LimitExceeded(name, first, limit) : first;
    }

    private static T Service<T>(IResolveFieldContext context) where T : notnull =>
        context.RequestServices!.GetRequiredService<T>();
}
