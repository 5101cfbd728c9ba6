using System.Text.Json;
using GraphQL.Types;
using OrgGraph.Model;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class SourceType : ObjectGraphType<Source>
{
    public SourceType()
    {
        Name = "Source";
        Description = "A document that backs a fact: an official register extract, a statement or a press report.";
        Field(s => s.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("Stable key of the source.");
        Field(s => s.Title).Description("Title of the document or dataset.");
        Field(s => s.Publisher, nullable: true).Description("Who published it.");
        Field(s => s.Url, nullable: true).Description("Where it can be read.");
        Field(s => s.Published, type: typeof(IsoDateGraphType)).Description("When it was published, or the date it describes.");
        Field(s => s.Retrieved, type: typeof(IsoDateGraphType)).Description("When OrgGraph copied it.");
        Field(s => s.Licence, nullable: true).Description("Licence of the source, e.g. OGL-3.0.");
    }
}

/// <summary>Fields shared by the dated values of a node (names, roles, aliases).</summary>
internal abstract class DatedValueType : ObjectGraphType<DatedValue>
{
    protected DatedValueType(string name, string description, string valueField, string valueDescription)
    {
        Name = name;
        Description = description;
        Field<NonNullGraphType<StringGraphType>>(valueField).Description(valueDescription).Resolve(c => c.Source.Value);
        Field(v => v.ValidFrom, type: typeof(IsoDateGraphType)).Description("First day it held; null if since before the sources begin.");
        Field(v => v.ValidTo, type: typeof(IsoDateGraphType)).Description("Last day it held; null if it still holds.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceType>>>>("sources")
            .Description("The sources that back it.")
            .Resolve(c => c.Loaders().Sources.LoadMany(c.Source.SourceIds));
    }
}

internal sealed class NameRecordType() : DatedValueType("NameRecord", "A name an organisation had for a period.", "name", "The name.");

internal sealed class RoleType() : DatedValueType("Role", "A dated role, e.g. STP then ICB, CCG then SUB_ICB_LOCATION.", "role", "The role code.");

internal sealed class AliasType : DatedValueType
{
    public AliasType() : base("Alias", "Another code for an organisation (ONS code, former ODS code, Companies House number), dated.", "value", "The code.")
    {
        Field<NonNullGraphType<AliasSchemeType>>("scheme").Description("Which coding scheme the code belongs to.").Resolve(c => c.Source.Scheme ?? AliasScheme.Other);
    }
}

internal sealed record Property(string Key, string? Value);

internal sealed class PropertyType : ObjectGraphType<Property>
{
    public PropertyType()
    {
        Name = "Property";
        Description = "A named scalar property (postcode, foundationTrust, share, ...), as text.";
        Field(p => p.Key).Description("Property name.");
        Field(p => p.Value, nullable: true).Description("Value as text (numbers and booleans in JSON form); null when the source gives none.");
    }

    public static IReadOnlyList<Property> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject()
            .Select(p => new Property(p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Null => null,
                _ => p.Value.GetRawText(),
            }))
            .ToList();
    }
}
