using GraphQL.Types;
using OrgGraph.Model;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class SpendGranularityType : EnumerationGraphType<SpendGranularity>
{
    public SpendGranularityType()
    {
        Name = "SpendGranularity";
        Description = "How finely a spend file reports money: MONTHLY_AGGREGATE (all spend, dated by month), OVER_THRESHOLD (transactions of £25,000 or more), INVOICE_LINES (invoice lines, most under £25,000). Totals of different granularities are not comparable.";
    }
}

internal sealed class SpendGroupingType : EnumerationGraphType<SpendGrouping>
{
    public SpendGroupingType()
    {
        Name = "SpendGrouping";
        Description = "How `spend` groups its totals: by SUPPLIER (the node payments went to), by the supplier's SECTOR, or by the supplier's ULTIMATE_OWNER through controlling OWNED_BY relationships valid on each payment's date.";
    }
}

internal sealed class MatchMethodType : EnumerationGraphType<MatchMethod>
{
    public MatchMethodType()
    {
        Name = "MatchMethod";
        Description = "How a supplier name was matched: COMPANY_NUMBER (a company number the data gives), EXACT_NAME (the normalised name of exactly one organisation), SIMILAR_NAME (a candidate, never merged), UNRESOLVED, or WITHHELD (names a person; pooled, no node of its own).";
    }
}

internal sealed class PeriodInputType : InputObjectGraphType<PeriodInput>
{
    public PeriodInputType()
    {
        Name = "PeriodInput";
        Description = "A period of dates, both ends included; an end left out is open.";
        Field<IsoDateGraphType>("from").Description("The first day.");
        Field<IsoDateGraphType>("to").Description("The last day.");
    }
}

internal sealed record PeriodInput
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
}

internal sealed class BodyCoverageType : ObjectGraphType<BodyCoverage>
{
    public BodyCoverageType()
    {
        Name = "BodyCoverage";
        Description = "What one paying body contributes to a total.";
        Field<NonNullGraphType<OrganisationType>>("body").Description("The paying body.").Resolve(c => c.Loaders().Nodes.Load(c.Source.BodyId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("months").Description("The months (yyyy-mm) with lines in the total.").Resolve(c => c.Source.Months);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SpendGranularityType>>>>("granularities").Description("The granularity of the body's files.").Resolve(c => c.Source.Granularities);
        Field<NonNullGraphType<IntGraphType>>("lines").Description("Payment lines counted.").Resolve(c => c.Source.Lines);
    }
}

internal sealed class CoverageType : ObjectGraphType<Coverage>
{
    public CoverageType()
    {
        Name = "Coverage";
        Description = "What a total covers (bodies, months, granularity), and whether it adds series that are not comparable.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<BodyCoverageType>>>>("bodies").Description("Each paying body with its months and granularity.").Resolve(c => c.Source.Bodies);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SpendGranularityType>>>>("granularities").Description("Every granularity the total adds.").Resolve(c => c.Source.Granularities);
        Field<NonNullGraphType<BooleanGraphType>>("comparable").Description("False when the total adds series of different granularity (e.g. monthly aggregates and £25k transactions).").Resolve(c => c.Source.Comparable);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("warnings").Description("Why the total may mislead: mixed granularity, months missing, bodies covering different months, suppliers with several ultimate owners.").Resolve(c => c.Source.Warnings);
    }
}

internal sealed class PaymentLineType : ObjectGraphType<PaymentLine>
{
    public PaymentLineType()
    {
        Name = "PaymentLine";
        Description = "One line of a spend file as published, with the file and line it came from.";
        Field<NonNullGraphType<IsoDateGraphType>>("date").Description("The payment date as published (month-end for compiled monthly files).").Resolve(c => c.Source.Date);
        Field<NonNullGraphType<DecimalGraphType>>("amount").Description("Amount in pounds; negative for credit notes and reversals.").Resolve(c => c.Source.Amount);
        Field<NonNullGraphType<OrganisationType>>("body").Description("The paying body.").Resolve(c => c.Loaders().Nodes.Load(c.Source.BodyId));
        Field<NonNullGraphType<OrganisationType>>("supplier").Description("The node the supplier was resolved to (see `supplierResolutions`).").Resolve(c => c.Loaders().Nodes.Load(c.Source.SupplierId));
        Field<StringGraphType>("supplierName").Description("The supplier as published; null when withheld because it names a person.").Resolve(c => c.Source.Supplier);
        Field<StringGraphType>("expenseType").Description("Expense type as published.").Resolve(c => c.Source.ExpenseType);
        Field<StringGraphType>("expenseArea").Description("Expense area as published.").Resolve(c => c.Source.ExpenseArea);
        Field<StringGraphType>("transactionNumber").Description("Transaction number as published.").Resolve(c => c.Source.TransactionNumber);
        Field<NonNullGraphType<SpendGranularityType>>("granularity").Description("The granularity of the file.").Resolve(c => c.Source.Granularity);
        Field<NonNullGraphType<SourceType>>("source").Description("The spend file.").Resolve(c => c.Loaders().Sources.Load(c.Source.SourceId));
        Field<NonNullGraphType<StringGraphType>>("file").Description("The file's path in the imported directory.").Resolve(c => c.Source.File);
        Field<NonNullGraphType<IntGraphType>>("line").Description("The line of the file the record starts on (1 is the header).").Resolve(c => c.Source.Line);
    }
}

internal sealed class PaymentsType : ObjectGraphType<PaymentPage>
{
    public PaymentsType()
    {
        Name = "Payments";
        Description = "Payment lines, a page at a time, with the total and coverage of every line that matched.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PaymentLineType>>>>("lines").Description("This page of lines, by date, then source and line.").Resolve(c => c.Source.Lines);
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description("Lines matching, on every page.").Resolve(c => c.Source.TotalCount);
        Field<NonNullGraphType<DecimalGraphType>>("total").Description("Sum of every matching line, in pounds.").Resolve(c => c.Source.TotalPence / 100m);
        Field<NonNullGraphType<CoverageType>>("coverage").Description("What the total covers.").Resolve(c => c.Source.Coverage);
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Description("Whether more lines follow.").Resolve(c => c.Source.HasNextPage);
        Field<StringGraphType>("endCursor").Description("Pass as `after` for the next page.").Resolve(c => c.Source.Lines.Count == 0 ? null : MoneyFields.CursorOf(c.Source.Lines[^1]));
    }
}

internal sealed record SpendGroupView(SpendGroup Group, SpendGrouping GroupBy);

internal sealed class SpendGroupType : ObjectGraphType<SpendGroupView>
{
    public SpendGroupType()
    {
        Name = "SpendGroup";
        Description = "One total of `spend`.";
        Field<OrganisationType>("organisation").Description("The supplier or ultimate owner (null when grouped by sector).")
            .Resolve(c => c.Source.GroupBy == SpendGrouping.Sector ? null : c.Loaders().Nodes.Load(c.Source.Group.Key));
        Field<SectorType>("sector").Description("The sector (only when grouped by sector).")
            .Resolve(c => c.Source.GroupBy == SpendGrouping.Sector ? EnumNames.Parse<Sector>(c.Source.Group.Key) : null);
        Field<NonNullGraphType<DecimalGraphType>>("total").Description("Sum in pounds.").Resolve(c => c.Source.Group.TotalPence / 100m);
        Field<NonNullGraphType<IntGraphType>>("lines").Description("Payment lines in the sum.").Resolve(c => c.Source.Group.Lines);
        Field<NonNullGraphType<IntGraphType>>("suppliers").Description("Distinct supplier nodes in the sum.").Resolve(c => c.Source.Group.Suppliers);
    }
}

internal sealed record SpendView(SpendResult Result, SpendGrouping GroupBy, int First);

internal sealed class SpendType : ObjectGraphType<SpendView>
{
    public SpendType()
    {
        Name = "Spend";
        Description = "Totals of payments, largest first.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SpendGroupType>>>>("groups").Description("The largest `first` totals.")
            .Resolve(c => c.Source.Result.Groups.Take(c.Source.First).Select(g => new SpendGroupView(g, c.Source.GroupBy)).ToList());
        Field<NonNullGraphType<IntGraphType>>("groupCount").Description("How many totals there are in all.").Resolve(c => c.Source.Result.Groups.Count);
        Field<NonNullGraphType<DecimalGraphType>>("total").Description("Sum of every payment counted, in pounds.").Resolve(c => c.Source.Result.TotalPence / 100m);
        Field<NonNullGraphType<CoverageType>>("coverage").Description("What the total covers.").Resolve(c => c.Source.Result.Coverage);
    }
}

internal sealed record SpendShare(string Year, SpendResult Result)
{
    public long Pence(Sector sector) => Result.Groups.Where(g => g.Key == EnumNames.ToWire(sector)).Sum(g => g.TotalPence);
}

internal sealed class SpendShareType : ObjectGraphType<SpendShare>
{
    public SpendShareType()
    {
        Name = "SpendShare";
        Description = "A financial year (April to March) of a body's payments, by the sector of the supplier.";
        Field<NonNullGraphType<StringGraphType>>("year").Description("The financial year, e.g. 2022/23.").Resolve(c => c.Source.Year);
        Field<NonNullGraphType<DecimalGraphType>>("total").Description("All payments, in pounds.").Resolve(c => c.Source.Result.TotalPence / 100m);
        Field<NonNullGraphType<DecimalGraphType>>("private").Description("Paid to organisations of sector PRIVATE.").Resolve(c => c.Source.Pence(Sector.Private) / 100m);
        Field<NonNullGraphType<DecimalGraphType>>("public").Description("Paid to public bodies.").Resolve(c => c.Source.Pence(Sector.Public) / 100m);
        Field<NonNullGraphType<DecimalGraphType>>("thirdSector").Description("Paid to charities and community interest companies.").Resolve(c => c.Source.Pence(Sector.ThirdSector) / 100m);
        Field<NonNullGraphType<DecimalGraphType>>("unknown").Description("Paid to suppliers no register identifies, or withheld payees.").Resolve(c => c.Source.Pence(Sector.Unknown) / 100m);
        Field<FloatGraphType>("privateShare").Description("private / total (null when the total is not positive). The unknown part may hold more private spend: read it with `unknownShare`.")
            .Resolve(c => c.Source.Result.TotalPence > 0 ? (double)c.Source.Pence(Sector.Private) / c.Source.Result.TotalPence : null);
        Field<FloatGraphType>("unknownShare").Description("unknown / total (null when the total is not positive).")
            .Resolve(c => c.Source.Result.TotalPence > 0 ? (double)c.Source.Pence(Sector.Unknown) / c.Source.Result.TotalPence : null);
        Field<NonNullGraphType<CoverageType>>("coverage").Description("What the year's total covers.").Resolve(c => c.Source.Result.Coverage);
    }
}

internal sealed class SupplierMatchType : ObjectGraphType<SupplierMatch>
{
    public SupplierMatchType()
    {
        Name = "SupplierMatch";
        Description = "One line of the supplier resolution report.";
        Field<NonNullGraphType<StringGraphType>>("supplierKey").Description("The normalised supplier name matching works on.").Resolve(c => c.Source.SupplierKey);
        Field<StringGraphType>("example").Description("A spelling as published (null when withheld).").Resolve(c => c.Source.Example);
        Field<NonNullGraphType<OrganisationType>>("organisation").Description("The node the supplier's payments go to.").Resolve(c => c.Loaders().Nodes.Load(c.Source.NodeId));
        Field<NonNullGraphType<MatchMethodType>>("method").Description("How it was matched.").Resolve(c => c.Source.Method);
        Field<NonNullGraphType<FloatGraphType>>("score").Description("1 for a company number or exact name; the word similarity (0 to 1) of a similar name; 0 otherwise.").Resolve(c => c.Source.Score);
        Field<OrganisationType>("candidate").Description("For SIMILAR_NAME: the organisation the name resembles. Not merged: check it and add the company number to a reconciliation file.")
            .Resolve(c => c.Source.CandidateId is null ? null : c.Loaders().Nodes.Load(c.Source.CandidateId));
        Field<StringGraphType>("evidence").Description("What backs the match: the reconciliation file and line, or the name matched.").Resolve(c => c.Source.Evidence);
        Field<NonNullGraphType<IntGraphType>>("lines").Description("Payment lines with this supplier.").Resolve(c => c.Source.Lines);
    }
}
