using GraphQL;
using GraphQL.Types;
using OrgGraph.Model;

namespace OrgGraph.Api.GraphQL.Types;

/// <summary>The investigative queries: control chains, privatisation paths, connections, lineage and dashboard counts.</summary>
internal static class InvestigationFields
{
    private const string DateRule =
        " With `asOf`, every organisation and relationship used is valid on that date. Without it, a path is returned only if all its relationships overlap in time, and the path's `validFrom`/`validTo` give that common period.";

    public static void Add(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ControlChainType>>>>("whoControls")
            .Description("Every chain of control that ends at the organisation, walked back to its ultimate controllers (organisations nothing controls under the same filter); shortest first." + DateRule +
                " A chain longer than `maxHops`, or more than 1,000 chains, is a LIMIT_EXCEEDED error, never a partial answer.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The organisation (id or alias).")
            .Argument<IsoDateGraphType>("asOf", "The date.")
            .Argument<ListGraphType<NonNullGraphType<ControlKindType>>>("kinds", "Only these kinds of control (default: all).")
            .Argument<IntGraphType>("maxHops", "Longest chain, at most the server's limit (default 10).", a => a.DefaultValue = 8)
            .ResolveAsync(async c => await TraverseAsync(c, (store, id, q, ct) => store.WhoControlsAsync(id, q, ct), Query(c)));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ControlChainType>>>>("controlledBy")
            .Description("Everything the organisation controls within `maxHops` steps, each with its shortest chain of control; shortest first, then by id." + DateRule)
            .Argument<NonNullGraphType<IdGraphType>>("id", "The controlling organisation (id or alias).")
            .Argument<IsoDateGraphType>("asOf", "The date.")
            .Argument<ListGraphType<NonNullGraphType<ControlKindType>>>("kinds", "Only these kinds of control (default: all).")
            .Argument<ListGraphType<NonNullGraphType<OrgKindType>>>("nodeKinds", "Only return organisations of these kinds (chains still pass through any).")
            .Argument<IntGraphType>("maxHops", "Longest chain, at most the server's limit (default 10).", a => a.DefaultValue = 8)
            .Argument<IntGraphType>("first", "Most chains to return, at most the server's limit (default 100).", a => a.DefaultValue = 100)
            .ResolveAsync(async c => await TraverseAsync(c, (store, id, q, ct) => store.ControlledByAsync(id, q, ct), Query(c) with
            {
                NodeKinds = c.GetArgument<List<OrgKind>?>("nodeKinds"),
                First = First(c, 100),
            }));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PathType>>>>("privatisationPaths")
            .Description("Paths from a public body down its oversight and commissioning (to each provider), through operation (a provider to the company that runs it) and contracts (to the supplier), " +
                "to the first organisation of sector PRIVATE (`firstPrivate`), then up its controlling owners (OWNED_BY over 50%, or with no share stated) to the ultimate owner, the last node. " +
                "With `includePayments`, a path may also take one PAID step, from any body on its way down to a supplier that body paid in the window `paidFrom`..`paidTo` (the calendar months that overlap it; all months by default): " +
                "the step stands for those months, with their total as its `amount`. A payment has no validity of its own on `asOf`: the supplier must be valid then, and its owners are those of that date. " +
                "Shortest first, or with `orderBy: MONEY` most money paid first, within `maxHops` steps." + DateRule)
            .Argument<NonNullGraphType<IdGraphType>>("from", "The public body (id or alias).")
            .Argument<IsoDateGraphType>("asOf", "The date.")
            .Argument<IntGraphType>("maxHops", "Longest path, at most the server's limit (default 10).", a => a.DefaultValue = 8)
            .Argument<BooleanGraphType>("includeBids", "Also follow BID_FOR (a bid, not an award).", a => a.DefaultValue = false)
            .Argument<BooleanGraphType>("includePayments", "Also follow one PAID step per path, from a body to a supplier it paid in the window.", a => a.DefaultValue = false)
            .Argument<IsoDateGraphType>("paidFrom", "Start of the window of money on PAID steps: the first calendar month counted is the one containing it (default: the first month paid). Needs `includePayments`.")
            .Argument<IsoDateGraphType>("paidTo", "End of the window: the last calendar month counted is the one containing it (default: the last month paid). Needs `includePayments`.")
            .Argument<PathOrderType>("orderBy", "How to rank the paths (default LENGTH).", a => a.DefaultValue = PathOrder.Length)
            .Argument<IntGraphType>("first", "Most paths to return, at most the server's limit (default 100).", a => a.DefaultValue = 25)
            .ResolveAsync(async c =>
            {
                var (includePayments, paidFrom, paidTo) = (c.GetArgument<bool>("includePayments"), c.GetArgument<DateOnly?>("paidFrom"), c.GetArgument<DateOnly?>("paidTo"));
                if (!includePayments && (paidFrom ?? paidTo) is not null)
                {
                    throw ClientError.InvalidArgument(paidFrom is null ? "paidTo" : "paidFrom", "bounds the money on PAID steps; give `includePayments: true` too.");
                }

                if (paidFrom > paidTo)
                {
                    throw ClientError.InvalidArgument("paidTo", "is before `paidFrom`.");
                }

                return await TraverseAsync(c, (store, id, q, ct) => store.PrivatisationPathsAsync(id, q, ct), Query(c, "from") with
                {
                    IncludeBids = c.GetArgument<bool>("includeBids"),
                    IncludePayments = includePayments,
                    PaidFrom = paidFrom,
                    PaidTo = paidTo,
                    Order = c.GetArgument<PathOrder>("orderBy"),
                    First = First(c, 25),
                }, "from");
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PathType>>>>("connections")
            .Description("The `first` shortest simple paths between two organisations over any relationships (or `types`), ignoring direction; shortest first." + DateRule)
            .Argument<NonNullGraphType<IdGraphType>>("from", "One organisation (id or alias).")
            .Argument<NonNullGraphType<IdGraphType>>("to", "The other organisation (id or alias).")
            .Argument<IsoDateGraphType>("asOf", "The date.")
            .Argument<ListGraphType<NonNullGraphType<RelationshipTypeType>>>("types", "Only these relationship types (default: all). PAID is never walked: payments are money, not links (see `payments`, `spend` and `privatisationPaths` with `includePayments`).")
            .Argument<IntGraphType>("maxHops", "Longest path, at most the server's limit (default 10).", a => a.DefaultValue = 8)
            .Argument<IntGraphType>("first", "Most paths to return, at most the server's limit (default 100).", a => a.DefaultValue = 10)
            .ResolveAsync(async c =>
            {
                var to = await ResolveAsync(c, "to");
                var from = await ResolveAsync(c, "from");
                if (from == to)
                {
                    throw ClientError.InvalidArgument("to", "is the same organisation as 'from'.");
                }

                var q = Query(c, "from") with { Types = c.GetArgument<List<RelationshipType>?>("types"), First = First(c, 10) };
                return await TraverseAsync(c, (store, id, query, ct) => store.ConnectionsAsync(id, to, query, ct), q, "from");
            });

        query.Field<NonNullGraphType<LineageType>>("lineage")
            .Description("What the organisation was formed from (predecessors) and became (successors) through SUCCEEDED_BY, transitively both ways, with the date of each step.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The organisation (id or alias).")
            .ResolveAsync(async c =>
            {
                var id = await ResolveAsync(c, "id");
                return (id, await c.Store().LineageAsync(id, c.CancellationToken));
            });

        query.Field<NonNullGraphType<StatsType>>("stats")
            .Description("Counts for dashboards. `within` a node: organisations transitively PART_OF it, plus those one MEMBER_OF or COMMISSIONED_BY step from any of them (GP practices, providers, partner councils); without `within`, the whole graph. " +
                "With `asOf`, only organisations and links valid that day. `commissioning` gives, per ICS counted (or the ICS itself), its providers by sector and the share that is private.")
            .Argument<IdGraphType>("within", "The node (id or alias); default: the whole graph.")
            .Argument<IsoDateGraphType>("asOf", "The date.")
            .ResolveAsync(async c =>
            {
                var within = c.GetArgument<string?>("within") is null ? null : await ResolveAsync(c, "within");
                return await c.Store().StatsAsync(within, c.GetArgument<DateOnly?>("asOf"), c.CancellationToken);
            });
    }

    private static TraversalQuery Query(IResolveFieldContext c, string idArgument = "id")
    {
        var limits = c.Limits();
        var maxHops = c.GetArgument<int?>("maxHops") ?? 8;
        if (maxHops < 1)
        {
            throw ClientError.InvalidArgument("maxHops", "must be at least 1.");
        }

        if (maxHops > limits.MaxHops)
        {
            throw ClientError.LimitExceeded("maxHops", maxHops, limits.MaxHops);
        }

        return new TraversalQuery
        {
            AsOf = c.GetArgument<DateOnly?>("asOf"),
            Kinds = c.HasArgument("kinds") ? c.GetArgument<List<ControlKind>?>("kinds") : null,
            MaxHops = maxHops,
        };
    }

    private static int First(IResolveFieldContext c, int fallback)
    {
        var first = c.First(fallback, c.Limits().MaxPathResults);
        return first == 0 ? throw ClientError.InvalidArgument("first", "must be at least 1.") : first;
    }

    private static async Task<string> ResolveAsync(IResolveFieldContext c, string argument)
    {
        var idOrAlias = c.GetArgument<string>(argument).Trim();
        return (await c.Store().ResolveAsync([idOrAlias], c.CancellationToken)).GetValueOrDefault(idOrAlias)
            ?? throw ClientError.NotFound("organisation", idOrAlias);
    }

    /// <summary>Resolves the id, runs the traversal under the traversal timeout, and maps bounds to coded errors.</summary>
    private static async Task<IReadOnlyList<GraphPath>> TraverseAsync(IResolveFieldContext c,
        Func<OrgGraph.Storage.IGraphStore, string, TraversalQuery, CancellationToken, Task<IReadOnlyList<GraphPath>>> traverse, TraversalQuery query, string idArgument = "id")
    {
        var id = await ResolveAsync(c, idArgument);
        var timeout = c.Limits().TraversalTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(c.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            return await traverse(c.Store(), id, query, cts.Token);
        }
        catch (OperationCanceledException) when (!c.CancellationToken.IsCancellationRequested)
        {
            throw ClientError.Timeout(timeout);
        }
        catch (TraversalLimitException e)
        {
            throw ClientError.Limit(e.Message);
        }
    }
}
