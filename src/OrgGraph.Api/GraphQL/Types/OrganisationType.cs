using GraphQL;
using GraphQL.Types;
using OrgGraph.Api.GraphQL.Loading;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class OrganisationType : ObjectGraphType<Node>
{
    public OrganisationType()
    {
        Name = "Organisation";
        Description = "An organisation or other entity of the NHS graph: a body, a trust, a practice, a company, a framework, a contract.";
        Field(n => n.Id, type: typeof(NonNullGraphType<IdGraphType>))
            .Description("Stable key: the ODS code where one exists, else the ONS code, CH:<Companies House number>, or a slug.");
        Field(n => n.Name).Description("Current name, or the last name if the organisation has closed.");
        Field(n => n.Kind, type: typeof(NonNullGraphType<OrgKindType>)).Description("What the organisation is.");
        Field(n => n.Sector, type: typeof(NonNullGraphType<SectorType>)).Description("Public, private or third sector.");
        Field(n => n.ValidFrom, type: typeof(IsoDateGraphType)).Description("Open date; null if before the sources begin.");
        Field(n => n.ValidTo, type: typeof(IsoDateGraphType)).Description("Close date; null if still open.");
        Field(n => n.Confidence, type: typeof(NonNullGraphType<ConfidenceType>)).Description("How the organisation's existence is established.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NameRecordType>>>>("names")
            .Description("Names over time, oldest first.").Resolve(c => c.Source.Names);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RoleType>>>>("roles")
            .Description("Dated roles, oldest first (e.g. STP until 2022-06-30, ICB from 2022-07-01).").Resolve(c => c.Source.Roles);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AliasType>>>>("aliases")
            .Description("Other codes, dated; each resolves in `organisation(id:)`.").Resolve(c => c.Source.Aliases);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PropertyType>>>>("properties")
            .Description("Other properties (postcode, foundationTrust, ...).").Resolve(c => PropertyType.Parse(c.Source.Properties));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceType>>>>("sources")
            .Description("The sources that back the organisation's record.")
            .Resolve(c => c.Loaders().Sources.LoadMany(c.Source.SourceIds));

        Field<OrganisationType>("parent")
            .Description("What this organisation is PART_OF on `asOf`; without `asOf`, its current (or last) parent.")
            .Argument<IsoDateGraphType>("asOf", "The date; default: the current or last parent.")
            .Resolve(c =>
            {
                var asOf = c.GetArgument<DateOnly?>("asOf");
                var loaders = c.Loaders();
                return loaders.Relationships(new RelationshipFilter { Types = [RelationshipType.PartOf], Direction = Direction.Outgoing, AsOf = asOf })
                    .Load(c.Source.Id)
                    .Then(edges => edges?.OrderBy(e => e.ValidTo is null ? 0 : 1).ThenByDescending(e => e.ValidTo).ThenByDescending(e => e.ValidFrom).FirstOrDefault() is { } edge
                        ? loaders.Nodes.Load(edge.To)
                        : new DeferredResult<Node?>(_ => Task.FromResult<Node?>(null)));
            });

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrganisationType>>>>("children")
            .Description("Organisations directly PART_OF this one, by id. With `asOf`, only those (and links) valid on that date; without it, all that ever were.")
            .Argument<ListGraphType<NonNullGraphType<OrgKindType>>>("kind", "Only these kinds.")
            .Argument<IsoDateGraphType>("asOf", "The date.")
            .Resolve(c =>
            {
                var asOf = c.GetArgument<DateOnly?>("asOf");
                var kinds = c.GetArgument<List<OrgKind>?>("kind");
                var loaders = c.Loaders();
                return loaders.Relationships(new RelationshipFilter { Types = [RelationshipType.PartOf], Direction = Direction.Incoming, AsOf = asOf })
                    .Load(c.Source.Id)
                    .Then(edges => loaders.Nodes.LoadMany((edges ?? []).Select(e => e.From).Distinct())
                        .Select(nodes => nodes
                            .Where(n => (kinds is not { Count: > 0 } || kinds.Contains(n.Kind)) && n.Period.Contains(asOf))
                            .OrderBy(n => n.Id, StringComparer.Ordinal)
                            .ToList()));
            });

        Field<NonNullGraphType<RelationshipConnectionType>>("relationships")
            .Description("Relationships touching this organisation, ordered by type, start date and the other end's id.")
            .Argument<ListGraphType<NonNullGraphType<RelationshipTypeType>>>("types", "Only these types.")
            .Argument<DirectionType>("direction", "OUTGOING (from this organisation), INCOMING (to it) or BOTH.", a => a.DefaultValue = Direction.Both)
            .Argument<IsoDateGraphType>("asOf", "Only relationships valid on this date.")
            .Argument<IntGraphType>("first", "Page size.", a => a.DefaultValue = 100)
            .Argument<StringGraphType>("after", "Cursor after which the page starts.")
            .Resolve(c =>
            {
                var first = c.First(100, c.Limits().MaxPageSize);
                var offset = Cursor.Decode("rel", c.GetArgument<string?>("after"), "after") is { } position && int.TryParse(position, out var p) ? p + 1 : 0;
                var filter = new RelationshipFilter
                {
                    Types = c.GetArgument<List<RelationshipType>?>("types"),
                    Direction = c.GetArgument("direction", Direction.Both),
                    AsOf = c.GetArgument<DateOnly?>("asOf"),
                };
                return c.Loaders().Relationships(filter).Load(c.Source.Id).Select(all =>
                {
                    all ??= [];
                    var page = all.Skip(offset).Take(first).ToList();
                    return Page<Relationship>.From(page, (_, i) => Cursor.Encode("rel", (offset + i).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        all.Count, offset + page.Count < all.Count, offset > 0);
                });
            });
    }
}

internal sealed class RelationshipGraphType : ObjectGraphType<Relationship>
{
    public RelationshipGraphType()
    {
        Name = "Relationship";
        Description = "A typed, directed, dated relationship, read as 'from TYPE to', with its sources.";
        Field(r => r.Type, type: typeof(NonNullGraphType<RelationshipTypeType>)).Description("The relationship type.");
        Field<NonNullGraphType<OrganisationType>>("from").Description("Where the relationship starts.").Resolve(c => c.Loaders().Nodes.Load(c.Source.From));
        Field<NonNullGraphType<OrganisationType>>("to").Description("Where the relationship ends.").Resolve(c => c.Loaders().Nodes.Load(c.Source.To));
        Field(r => r.ValidFrom, type: typeof(IsoDateGraphType)).Description("First day it held; null if since before the sources begin.");
        Field(r => r.ValidTo, type: typeof(IsoDateGraphType)).Description("Last day it held; null if it still holds.");
        Field(r => r.Confidence, type: typeof(NonNullGraphType<ConfidenceType>)).Description("How the relationship is established.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PropertyType>>>>("properties")
            .Description("Other properties (share, service, ...).").Resolve(c => PropertyType.Parse(c.Source.Properties));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceType>>>>("sources")
            .Description("The sources that back the relationship.").Resolve(c => c.Loaders().Sources.LoadMany(c.Source.SourceIds));
    }
}
