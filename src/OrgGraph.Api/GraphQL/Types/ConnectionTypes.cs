using System.Text;
using GraphQL.Types;
using OrgGraph.Model;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

internal sealed record Edge<T>(string Cursor, T Node);

internal sealed record Page<T>(IReadOnlyList<Edge<T>> Edges, int TotalCount, PageInfo PageInfo)
{
    public static Page<T> From(IReadOnlyList<T> items, Func<T, int, string> cursor, int totalCount, bool hasNext, bool hasPrevious)
    {
        var edges = items.Select((item, i) => new Edge<T>(cursor(item, i), item)).ToList();
        return new(edges, totalCount, new PageInfo(hasNext, hasPrevious, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor));
    }
}

/// <summary>Opaque Relay cursors: base64 of a prefix and a position, so clients cannot depend on their form.</summary>
internal static class Cursor
{
    public static string Encode(string prefix, string position) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{prefix}:{position}"));

    public static string? Decode(string prefix, string? cursor, string argument)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith(prefix + ":", StringComparison.Ordinal))
            {
                return text[(prefix.Length + 1)..];
            }
        }
        catch (FormatException)
        {
        }

        throw ClientError.InvalidArgument(argument, "is not a cursor returned by this connection.");
    }
}

internal sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Relay page information.";
        Field(p => p.HasNextPage).Description("True when more items follow this page.");
        Field(p => p.HasPreviousPage).Description("True when items come before this page.");
        Field(p => p.StartCursor, nullable: true).Description("Cursor of the first item on the page.");
        Field(p => p.EndCursor, nullable: true).Description("Cursor of the last item; pass it as `after` for the next page.");
    }
}

internal abstract class EdgeType<TNode, TNodeType> : ObjectGraphType<Edge<TNode>>
    where TNodeType : IGraphType
{
    protected EdgeType(string name, string what)
    {
        Name = name;
        Description = $"One of the {what} in a page, with its cursor.";
        Field(e => e.Cursor).Description("Opaque cursor of this item.");
        Field<NonNullGraphType<TNodeType>>("node").Description("The item.").Resolve(c => c.Source.Node);
    }
}

internal abstract class ConnectionType<TNode, TNodeType, TEdgeType> : ObjectGraphType<Page<TNode>>
    where TNodeType : IGraphType
    where TEdgeType : EdgeType<TNode, TNodeType>
{
    protected ConnectionType(string name, string what)
    {
        Name = name;
        Description = $"A page of {what} (Relay connection).";
        Field(c => c.TotalCount).Description($"Number of {what} matching the arguments, on all pages.");
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Paging information.").Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TEdgeType>>>>("edges").Description("The items with their cursors.").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>>("nodes").Description("The items, without cursors.").Resolve(c => c.Source.Edges.Select(e => e.Node));
    }
}

internal sealed class OrganisationEdgeType() : EdgeType<Node, OrganisationType>("OrganisationEdge", "organisations");

internal sealed class OrganisationConnectionType() : ConnectionType<Node, OrganisationType, OrganisationEdgeType>("OrganisationConnection", "organisations");

internal sealed class RelationshipEdgeType() : EdgeType<Relationship, RelationshipGraphType>("RelationshipEdge", "relationships");

internal sealed class RelationshipConnectionType() : ConnectionType<Relationship, RelationshipGraphType, RelationshipEdgeType>("RelationshipConnection", "relationships");
