using GraphQL.Types;
using OrgGraph.Api.Writes;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class OrganisationInputType : InputObjectGraphType<OrganisationInput>
{
    public OrganisationInputType()
    {
        Name = "OrganisationInput";
        Description = "An organisation to create, or to replace when its id exists (the previous values stay in the audit trail, `changes`).";
        Field(i => i.Id, type: typeof(NonNullGraphType<IdGraphType>))
            .Description("Its key: the ODS code where one exists, else the ONS code, CH:<Companies House number>, or a slug. At most 100 letters, digits, ':', '.', '_' or '-'.");
        Field(i => i.Name).Description("Current (or last) name; at most 300 characters.");
        Field(i => i.Kind, type: typeof(NonNullGraphType<OrgKindType>)).Description("What the organisation is.");
        Field(i => i.Sector, type: typeof(NonNullGraphType<SectorType>)).Description("Public, private or third sector.");
        Field(i => i.ValidFrom, type: typeof(IsoDateGraphType)).Description("Open date; null if before the sources begin.");
        Field(i => i.ValidTo, type: typeof(IsoDateGraphType)).Description("Close date, not before `validFrom`; null if still open.");
        Field(i => i.Confidence, type: typeof(ConfidenceType)).Description("How its existence is established; default: unchanged, or OFFICIAL for a new organisation.");
        Field(i => i.SourceUrls, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>))
            .Description("1 to 20 absolute http(s) URLs backing the record. Each becomes a Source (id `url:` + a hash of the URL, titled by the URL until `upsertSource` gives it a title), added to the organisation's sources.");
        Field(i => i.Properties, type: typeof(ListGraphType<NonNullGraphType<PropertyInputType>>))
            .Description("Other properties (postcode, country, ...), replacing all previous ones; null keeps them.");
    }
}

internal sealed class RelationshipInputType : InputObjectGraphType<RelationshipInput>
{
    public RelationshipInputType()
    {
        Name = "RelationshipInput";
        Description = "A relationship to create, or to replace when one with the same type, ends and `validFrom` exists (the previous values stay in the audit trail).";
        Field(i => i.Type, type: typeof(NonNullGraphType<RelationshipTypeType>)).Description("The relationship type, read as 'from TYPE to'.");
        Field(i => i.From, type: typeof(NonNullGraphType<IdGraphType>)).Description("The exact id of the organisation it starts at; it must exist.");
        Field(i => i.To, type: typeof(NonNullGraphType<IdGraphType>)).Description("The exact id of the organisation it ends at; it must exist and differ from `from`.");
        Field(i => i.ValidFrom, type: typeof(IsoDateGraphType)).Description("First day it held (part of its identity); null if since before the sources begin.");
        Field(i => i.ValidTo, type: typeof(IsoDateGraphType)).Description("Last day it held, not before `validFrom`; null if it still holds.");
        Field(i => i.Confidence, type: typeof(ConfidenceType)).Description("How it is established; default: unchanged, or OFFICIAL for a new relationship.");
        Field(i => i.SourceUrls, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>))
            .Description("1 to 20 absolute http(s) URLs backing it; each becomes a Source, added to the relationship's sources.");
        Field(i => i.Properties, type: typeof(ListGraphType<NonNullGraphType<PropertyInputType>>))
            .Description("Other properties (e.g. `share` on OWNED_BY, as a number), replacing all previous ones; null keeps them.");
    }
}

internal sealed class SourceInputType : InputObjectGraphType<SourceInput>
{
    public SourceInputType()
    {
        Name = "SourceInput";
        Description = "A source to create, or to replace when its id exists (every field is replaced; the previous values stay in the audit trail).";
        Field(i => i.Id, type: typeof(IdGraphType))
            .Description("Its key; default: the id its `url` gets when cited in `sourceUrls` (`url:` + a hash), so a cited URL can be given a title and publisher.");
        Field(i => i.Title).Description("Title of the document or dataset; at most 1,000 characters.");
        Field(i => i.Publisher, nullable: true).Description("Who published it.");
        Field(i => i.Url, nullable: true).Description("Where it can be read: an absolute http(s) URL. Required when `id` is not given.");
        Field(i => i.Published, type: typeof(IsoDateGraphType)).Description("When it was published, or the date it describes.");
        Field(i => i.Retrieved, type: typeof(IsoDateGraphType)).Description("When it was read.");
        Field(i => i.Licence, nullable: true).Description("Licence of the source, e.g. OGL-3.0.");
    }
}

internal sealed class PropertyInputType : InputObjectGraphType<PropertyInput>
{
    public PropertyInputType()
    {
        Name = "PropertyInput";
        Description = "A named scalar property: give at most one of `text`, `number` and `boolean` (none stores null).";
        Field(i => i.Key).Description("Property name: 1-64 letters, digits or '_', starting with a letter.");
        Field(i => i.Text, nullable: true).Description("A text value; at most 1,000 characters.");
        Field(i => i.Number, nullable: true).Description("A numeric value (e.g. a `share` of 100).");
        Field(i => i.Boolean, nullable: true).Description("A true/false value.");
    }
}

internal sealed class CsvFileInputType : InputObjectGraphType<CsvFileInput>
{
    public CsvFileInputType()
    {
        Name = "CsvFileInput";
        Description = "One file of a CSV upload in the project's format (docs/csv-format.md).";
        Field(i => i.Name).Description("The file's name: sources.csv, nodes.csv, names.csv, roles.csv, aliases.csv or relationships.csv.");
        Field(i => i.Content).Description("The file's text (UTF-8 CSV with a header row).");
    }
}
