using GraphQL.Types;
using OrgGraph.Model;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class IsoDateGraphType : DateOnlyGraphType
{
    public IsoDateGraphType()
    {
        Name = "Date";
        Description = "A calendar date in ISO 8601 form, yyyy-mm-dd.";
    }
}

internal sealed class OrgKindType : EnumerationGraphType<OrgKind>
{
    public OrgKindType()
    {
        Name = "OrgKind";
        Description = "What an organisation is. ICS covers the STP/ICS footprint and its ICB; CCG covers CCGs and, from 2022-07-01, sub-ICB locations.";
    }
}

internal sealed class SectorType : EnumerationGraphType<Sector>
{
    public SectorType()
    {
        Name = "Sector";
        Description = "Public, private or third (voluntary and community) sector.";
    }
}

internal sealed class ConfidenceType : EnumerationGraphType<Confidence>
{
    public ConfidenceType()
    {
        Name = "Confidence";
        Description = "How a fact is established: OFFICIAL register data, REPORTED by press or an official statement, or an ALLEGED claim.";
    }
}

internal sealed class RelationshipTypeType : EnumerationGraphType<RelationshipType>
{
    public RelationshipTypeType()
    {
        Name = "RelationshipType";
        Description = "The type of a directed relationship, read as 'from TYPE to' (e.g. a CCG is PART_OF an ICS).";
    }
}

internal sealed class AliasSchemeType : EnumerationGraphType<AliasScheme>
{
    public AliasSchemeType()
    {
        Name = "AliasScheme";
        Description = "The coding scheme of an alias: ODS, ONS, Companies House, or other.";
    }
}

internal sealed class DirectionType : EnumerationGraphType<Direction>
{
    public DirectionType()
    {
        Name = "Direction";
        Description = "OUTGOING: relationships from this organisation; INCOMING: to it; BOTH.";
    }
}
