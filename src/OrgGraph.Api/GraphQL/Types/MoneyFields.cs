using System.Globalization;
using GraphQL;
using GraphQL.Types;
using OrgGraph.Model;

namespace OrgGraph.Api.GraphQL.Types;

/// <summary>Follow the money: payment lines, spend totals with their coverage, the private share by year, contract awards, and the supplier resolution report.</summary>
internal static class MoneyFields
{
    private const string CursorPrefix = "pay";

    public static void Add(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<PaymentsType>>("payments")
            .Description("Payment lines from a body (`from`) and/or to a supplier (`to`), within `period`, with their file and line, the total of every matching line and its coverage.")
            .Argument<IdGraphType>("from", "The paying body (id or alias).")
            .Argument<IdGraphType>("to", "The supplier node (id or alias): a company, an NHS body, or an unresolved supplier.")
            .Argument<PeriodInputType>("period", "Payment dates, both ends included.")
            .Argument<IntGraphType>("first", "Page size (default 100).", a => a.DefaultValue = 100)
            .Argument<StringGraphType>("after", "Cursor after which the page starts.")
            .ResolveAsync(async c =>
            {
                var from = await OptionalIdAsync(c, "from");
                var to = await OptionalIdAsync(c, "to");
                if (from is null && to is null)
                {
                    throw ClientError.InvalidArgument("from", "give `from`, `to` or both.");
                }

                var period = Period(c, "period");
                return await c.Store().PaymentsAsync(new PaymentQuery
                {
                    From = from,
                    To = to,
                    Start = period.From,
                    End = period.To,
                    First = c.First(100, c.Limits().MaxPageSize),
                    After = DecodeCursor(c.GetArgument<string?>("after")),
                }, c.CancellationToken);
            });

        query.Field<NonNullGraphType<SpendType>>("spend")
            .Description("Totals of the payments by a body and by the bodies transitively PART_OF it, between two dates, grouped by supplier, by the supplier's sector, " +
                "or by the supplier's ultimate owner as of each payment's date. Largest first; `coverage` says what the total covers and when it adds series that are not comparable.")
            .Argument<NonNullGraphType<IdGraphType>>("within", "The body (id or alias), e.g. an ICB.")
            .Argument<IsoDateGraphType>("from", "First payment date.")
            .Argument<IsoDateGraphType>("to", "Last payment date.")
            .Argument<SpendGroupingType>("groupBy", "How to group (default SUPPLIER).", a => a.DefaultValue = SpendGrouping.Supplier)
            .Argument<IntGraphType>("first", "Most groups to return (default 50).", a => a.DefaultValue = 50)
            .ResolveAsync(async c =>
            {
                var within = await RequiredIdAsync(c, "within");
                var (from, to) = (c.GetArgument<DateOnly?>("from"), c.GetArgument<DateOnly?>("to"));
                if (from > to)
                {
                    throw ClientError.InvalidArgument("to", "is before `from`.");
                }

                var groupBy = c.GetArgument<SpendGrouping>("groupBy");
                var first = c.First(50, c.Limits().MaxPageSize);
                var result = await c.Store().SpendAsync(new SpendQuery { Within = within, From = from, To = to, GroupBy = groupBy }, c.CancellationToken);
                return new SpendView(result, groupBy, first);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SpendShareType>>>>("spendShare")
            .Description("For dashboards: each financial year (April to March) of a body's payments (and those of bodies PART_OF it), split by the sector of the supplier, with the share that reaches PRIVATE organisations and its coverage.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The body (id or alias).")
            .ResolveAsync(async c =>
            {
                var id = await RequiredIdAsync(c, "id");
                var all = await c.Store().SpendAsync(new SpendQuery { Within = id, GroupBy = SpendGrouping.Sector }, c.CancellationToken);
                var years = all.Coverage.Bodies.SelectMany(b => b.Months)
                    .Select(m => DateOnly.ParseExact(m + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture))
                    .Select(d => d.Month >= 4 ? d.Year : d.Year - 1).Distinct().Order().ToList();
                var shares = new List<SpendShare>();
                foreach (var year in years)
                {
                    var result = await c.Store().SpendAsync(new SpendQuery
                    {
                        Within = id,
                        From = new DateOnly(year, 4, 1),
                        To = new DateOnly(year + 1, 3, 31),
                        GroupBy = SpendGrouping.Sector,
                    }, c.CancellationToken);
                    shares.Add(new SpendShare($"{year}/{(year + 1) % 100:00}", result));
                }

                return shares;
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AwardType>>>>("awards")
            .Description("Contract awards (contract AWARDED_TO supplier, contract COMMISSIONED_BY buyer) to a supplier and/or by a buyer, with an award date between `from` and `to`; newest first. Without `supplier` or `buyer`, every award.")
            .Argument<IdGraphType>("supplier", "The supplier (id or alias), e.g. CH:05057581.")
            .Argument<IdGraphType>("buyer", "The buyer (id or alias), e.g. 0DJ.")
            .Argument<IsoDateGraphType>("from", "First award date.")
            .Argument<IsoDateGraphType>("to", "Last award date.")
            .Argument<IntGraphType>("first", "Most awards to return (default 100).", a => a.DefaultValue = 100)
            .ResolveAsync(async c =>
            {
                var (from, to) = (c.GetArgument<DateOnly?>("from"), c.GetArgument<DateOnly?>("to"));
                if (from > to)
                {
                    throw ClientError.InvalidArgument("to", "is before `from`.");
                }

                return await AwardView.FindAsync(c.Store(), await OptionalIdAsync(c, "supplier"), await OptionalIdAsync(c, "buyer"), from, to,
                    c.First(100, c.Limits().MaxPageSize), c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SupplierMatchType>>>>("supplierResolutions")
            .Description("The supplier resolution report: each supplier name in the spend files (and each award supplier a notice gives no identifier for) with the node its payments and awards go to, the method and the score; strongest first, then by lines. Similar names are candidates only, never merged.")
            .Argument<MatchMethodType>("method", "Only this method.")
            .Argument<IntGraphType>("first", "Most lines (default 100).", a => a.DefaultValue = 100)
            .ResolveAsync(async c => await c.Store().SupplierMatchesAsync(c.GetArgument<MatchMethod?>("method"), c.First(100, c.Limits().MaxPageSize), c.CancellationToken));
    }

    public static string CursorOf(PaymentLine line) =>
        Cursor.Encode(CursorPrefix, $"{line.Date:yyyy-MM-dd}|{line.Line}|{line.SourceId}");

    private static PaymentCursor? DecodeCursor(string? cursor)
    {
        if (Cursor.Decode(CursorPrefix, cursor, "after") is not { } text)
        {
            return null;
        }

        var parts = text.Split('|', 3);
        return parts.Length == 3 && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && int.TryParse(parts[1], out var line)
            ? new PaymentCursor(date, parts[2], line)
            : throw ClientError.InvalidArgument("after", "is not a cursor returned by this connection.");
    }

    private static PeriodInput Period(IResolveFieldContext c, string argument)
    {
        var period = c.GetArgument<PeriodInput?>(argument) ?? new PeriodInput();
        return period.From > period.To ? throw ClientError.InvalidArgument(argument, "`to` is before `from`.") : period;
    }

    private static async Task<string?> OptionalIdAsync(IResolveFieldContext c, string argument) =>
        c.GetArgument<string?>(argument) is null ? null : await RequiredIdAsync(c, argument);

    private static async Task<string> RequiredIdAsync(IResolveFieldContext c, string argument)
    {
        var idOrAlias = c.GetArgument<string>(argument).Trim();
        return (await c.Store().ResolveAsync([idOrAlias], c.CancellationToken)).GetValueOrDefault(idOrAlias)
            ?? throw ClientError.NotFound("organisation", idOrAlias);
    }
}
