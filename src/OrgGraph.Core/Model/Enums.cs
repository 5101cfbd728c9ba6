namespace OrgGraph.Model;

/// <summary>What an organisation (or other entity) is.</summary>
public enum OrgKind
{
    NationalBody,
    Region,
    Ics,
    Ccg,
    Trust,
    LocalAuthority,
    Pcn,
    GpPractice,
    Csu,
    Company,
    Charity,
    Framework,
    Contract,
    Other,
}

public enum Sector
{
    Public,
    Private,
    ThirdSector,
    /// <summary>Not established: a spend supplier no register or reconciliation identifies.</summary>
    Unknown,
}

/// <summary>How well a fact is established: register data, a published report, or a claim.</summary>
public enum Confidence
{
    Official,
    Reported,
    Alleged,
}

public enum RelationshipType
{
    PartOf,
    MemberOf,
    CommissionedBy,
    OperatedBy,
    OwnedBy,
    SucceededBy,
    AccountableTo,
    SupplierOn,
    Runs,
    AwardedTo,
    BidFor,
    /// <summary>Money paid by a public body to a supplier in one calendar month (spend transparency files).</summary>
    Paid,
}

public enum AliasScheme
{
    Ods,
    Ons,
    CompaniesHouse,
    Other,
}

/// <summary>Which way a relationship is followed from a given node.</summary>
public enum Direction
{
    Outgoing,
    Incoming,
    Both,
}

/// <summary>
/// Converts enum values to and from their SCREAMING_SNAKE_CASE wire names (<c>GP_PRACTICE</c>),
/// which are the names in CSV files, in SQLite and in the GraphQL schema.
/// </summary>
public static class EnumNames
{
    public static string ToWire<T>(T value) where T : struct, Enum => Cache<T>.ToWire[value];

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Cache<T>.FromWire.TryGetValue(text?.Trim() ?? "", out value);

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a {typeof(T).Name} (expected one of {Expected<T>()})");

    public static string Expected<T>() where T : struct, Enum => string.Join(", ", Cache<T>.ToWire.Values);

    private static class Cache<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ToWire = Enum.GetValues<T>().ToDictionary(v => v, v => Snake(v.ToString()));
        public static readonly Dictionary<string, T> FromWire = ToWire.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    private static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(pascal[i]));
        }

        return sb.ToString();
    }
}
