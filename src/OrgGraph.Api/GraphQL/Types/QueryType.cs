using GraphQL;
using GraphQL.Types;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class QueryType : ObjectGraphType
{
    private const int MaxSearchText = 200;

    public QueryType()
    {
        Name = "Query";
        Description = "Read access to the NHS organisation graph.";

        Field<OrganisationType>("organisation")
            .Description("One organisation by id or by any alias (an ONS code, a former code); null when nothing has that id.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "An id (e.g. QT1) or an alias (e.g. E54000014).")
            .ResolveAsync(async c =>
            {
                // An exact id wins over an alias (IGraphStore.ResolveAsync), so try it as an id first: one store call when it is one.
                var key = c.GetArgument<string>("id").Trim();
                if ((await c.Store().GetNodesAsync([key], c.CancellationToken)).GetValueOrDefault(key) is { } node)
                {
                    return node;
                }

                var id = await ResolveIdAsync(c, key);
                return id is null ? null : (await c.Store().GetNodesAsync([id], c.CancellationToken)).GetValueOrDefault(id);
            });

        Field<NonNullGraphType<OrganisationConnectionType>>("organisations")
            .Description("Organisations matching every given filter, ordered by id.")
            .Argument<ListGraphType<NonNullGraphType<OrgKindType>>>("kind", "Only these kinds.")
            .Argument<SectorType>("sector", "Only this sector.")
            .Argument<IdGraphType>("within", "Only organisations transitively PART_OF this one (id or alias). With `asOf`, through links valid on that date; without it, through any link ever.")
            .Argument<IsoDateGraphType>("asOf", "Only organisations valid (open) on this date.")
            .Argument<StringGraphType>("nameContains", "Only names containing this text (case-insensitive).")
            .Argument<IntGraphType>("first", "Page size.", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after", "Cursor after which the page starts.")
            .ResolveAsync(async c =>
            {
                var first = c.First(50, c.Limits().MaxPageSize);
                string? within = null;
                if (c.GetArgument<string?>("within") is { } withinArg)
                {
                    within = await ResolveIdAsync(c, withinArg) ?? throw ClientError.NotFound("organisation", withinArg);
                }

                var after = Cursor.Decode("org", c.GetArgument<string?>("after"), "after");
                var page = await c.Store().FindNodesAsync(new NodeQuery
                {
                    Kinds = c.GetArgument<List<OrgKind>?>("kind"),
                    Sector = c.GetArgument<Sector?>("sector"),
                    Within = within,
                    AsOf = c.GetArgument<DateOnly?>("asOf"),
                    NameContains = c.GetArgument<string?>("nameContains"),
                    AfterId = after,
                    First = first,
                }, c.CancellationToken);
                return Page<Node>.From(page.Nodes, (n, _) => Cursor.Encode("org", n.Id), page.TotalCount, page.HasNextPage, after is not null);
            });

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrganisationType>>>>("search")
            .Description("Organisations whose name, former names, id or aliases match the words of `text` (each word as a prefix), best first; an exact id or alias comes first.")
            .Argument<NonNullGraphType<StringGraphType>>("text", "Words or a code, e.g. \"nottingham ics\" or \"E38000130\".")
            .Argument<IntGraphType>("first", "Most results to return.", a => a.DefaultValue = 20)
            .ResolveAsync(async c =>
            {
                var text = c.GetArgument<string>("text");
                if (text.Length > MaxSearchText)
                {
                    throw ClientError.LimitExceeded("text", text.Length, MaxSearchText);
                }

                var first = c.First(20, c.Limits().MaxSearchResults);
                return await c.Store().SearchAsync(text, first, c.CancellationToken);
            });

        InvestigationFields.Add(this);
        MoneyFields.Add(this);
        ChangeFields.Add(this);
    }

    private static async Task<string?> ResolveIdAsync(IResolveFieldContext context, string idOrAlias) =>
        (await context.Store().ResolveAsync([idOrAlias.Trim()], context.CancellationToken)).GetValueOrDefault(idOrAlias.Trim());
}
