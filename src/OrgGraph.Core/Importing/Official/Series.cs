namespace OrgGraph.Importing.Official;

/// <summary>
/// Names of the series of statements the official files make. Every file that makes a statement of a
/// series is taken to make it for the whole country at its date, so a fact missing from a newer file of
/// the same series has ended.
/// </summary>
internal static class Series
{
    public const string NationalBody = "national";
    public const string Region = "region";
    public const string RegionParent = "region.parent";
    public const string Ics = "ics";
    public const string IcsParent = "ics.parent";
    /// <summary>CCGs and, from July 2022, sub-ICB locations (same codes).</summary>
    public const string Ccg = "ccg";
    public const string CcgParent = "ccg.parent";
    /// <summary>Lower-tier and unitary authorities (districts).</summary>
    public const string LocalAuthority = "la";
    /// <summary>Upper-tier authorities (counties and unitaries), listed by fewer files than districts.</summary>
    public const string UpperTierAuthority = "la.upper";
    /// <summary>Lower tier within upper tier (district within county).</summary>
    public const string LocalAuthorityParent = "la.parent";
    /// <summary>Local authority district overlapping a CCG's area (from LSOA lookups).</summary>
    public const string LocalAuthorityCcg = "la.ccg";
    /// <summary>Local authority named as a partner of an ICB.</summary>
    public const string LocalAuthorityIcb = "la.icb";
    public const string Trust = "trust";
    public const string TrustParent = "trust.parent";
    /// <summary>Trust named as a partner of an ICB.</summary>
    public const string TrustIcb = "trust.icb";
    public const string Practice = "practice";
    public const string PracticeCommissioner = "practice.commissioner";
    public const string PracticePcn = "practice.pcn";
    public const string Pcn = "pcn";
    public const string Csu = "csu";
    public const string Other = "other";
}
