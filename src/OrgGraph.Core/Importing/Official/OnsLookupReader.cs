using System.Text.RegularExpressions;
using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>
/// ONS Open Geography lookups and names-and-codes files of any year: columns are recognised by their
/// published pattern (<c>CCG21CD</c>, <c>STP20CDH</c>, <c>SICBL22NM</c>, <c>ICB24CD</c>, <c>NHSER19CDH</c>,
/// <c>LAD20CD</c>, <c>LTLA19NM</c>, <c>UTLA19CD</c>, <c>CTY20CD</c>, <c>LSOA11CD</c>), so next year's release
/// reads without code changes. Health bodies are keyed on their ODS code (<c>...CDH</c>), with the ONS code
/// as a dated alias; local authorities on their ONS code. LSOA lookups give local authority–CCG overlaps
/// and the LSOA→CCG assignment used to derive mergers.
/// </summary>
internal sealed partial class OnsLookupReader : IOfficialReader
{
    private static readonly Dictionary<string, Level> Levels = new(StringComparer.Ordinal)
    {
        ["CCG"] = new(Series.Ccg, OrgKind.Ccg, "CCG", 1),
        ["SICBL"] = new(Series.Ccg, OrgKind.Ccg, "SUB_ICB_LOCATION", 1),
        ["STP"] = new(Series.Ics, OrgKind.Ics, "STP", 2),
        ["ICB"] = new(Series.Ics, OrgKind.Ics, "ICB", 2),
        ["NHSER"] = new(Series.Region, OrgKind.Region, null, 3),
        ["LAD"] = new(Series.LocalAuthority, OrgKind.LocalAuthority, null, 0),
        ["LTLA"] = new(Series.LocalAuthority, OrgKind.LocalAuthority, null, 0),
        ["UTLA"] = new(Series.UpperTierAuthority, OrgKind.LocalAuthority, null, 0),
        ["CTY"] = new(Series.UpperTierAuthority, OrgKind.LocalAuthority, null, 0),
    };

    public const string NhsEngland = "nhs-england";

    public IReadOnlyCollection<string> Formats { get; } = ["ons-lookup"];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (HeadedFile.Load(entry, path, problems) is not { } file)
        {
            return;
        }

        // prefix → (CD, CDH, NM) column names
        var groups = file.Header
            .Select(h => ColumnPattern().Match(h.Trim()))
            .Where(m => m.Success)
            .GroupBy(m => m.Groups["prefix"].Value)
            .ToDictionary(g => g.Key, g => g.ToDictionary(m => m.Groups["part"].Value, m => m.Value), StringComparer.Ordinal);
        var known = groups.Keys.Where(k => Levels.ContainsKey(k) || k == "LSOA").ToList();
        if (known.Count == 0)
        {
            problems.Add(new ImportProblem(entry.File, 1, 1, null,
                "no ONS code columns recognised (expected e.g. CCG21CD, STP20CDH, SICBL22NM, ICB24CD, NHSER19CD, LAD20CD)"));
            return;
        }

        foreach (var ignored in groups.Keys.Except(known))
        {
            observations.Report.Note($"{entry.File}: columns {ignored}* are not part of the graph (ignored)");
        }

        var lsoa = groups.ContainsKey("LSOA");
        var ccgPrefix = known.FirstOrDefault(k => Levels.TryGetValue(k, out var l) && l.Series == Series.Ccg);
        var ladPrefix = known.FirstOrDefault(k => k is "LAD" or "LTLA");
        var overlaps = new HashSet<(string Lad, string Ccg)>();
        Dictionary<string, string>? assignments = lsoa && ccgPrefix is not null ? observations.AreaAssignments(entry) : null;

        foreach (var row in file.Rows)
        {
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prefix in known.Where(Levels.ContainsKey))
            {
                if (Observe(entry, observations, file, row, prefix, groups[prefix]) is { } id)
                {
                    ids[prefix] = id;
                }
            }

            if (ids.Count == 0)
            {
                continue;
            }

            LinkHealthLevels(entry, observations, ids);
            LinkLocalAuthorities(entry, observations, ids);
            if (lsoa && ccgPrefix is not null && ids.TryGetValue(ccgPrefix, out var ccg))
            {
                if (file.Get(row, groups["LSOA"].GetValueOrDefault("CD", "")) is { } area)
                {
                    assignments![area] = ccg;
                }

                if (ladPrefix is not null && ids.TryGetValue(ladPrefix, out var lad))
                {
                    overlaps.Add((lad, ccg));
                }
            }
        }

        foreach (var (lad, ccg) in overlaps)
        {
            observations.Edge(entry, Series.LocalAuthorityCcg, RelationshipType.MemberOf, lad, ccg, single: false);
        }
    }

    /// <summary>Records one organisation of a row; returns its id, or null when the row has no code for it.</summary>
    private static string? Observe(ManifestEntry entry, Observations observations, HeadedFile file, CsvRecord row,
        string prefix, Dictionary<string, string> columns)
    {
        var level = Levels[prefix];
        var ons = columns.TryGetValue("CD", out var cd) ? file.Get(row, cd) : null;
        var ods = columns.TryGetValue("CDH", out var cdh) ? file.Get(row, cdh) : null;
        var name = columns.TryGetValue("NM", out var nm) ? file.Get(row, nm) : null;
        if (level.Kind == OrgKind.LocalAuthority && ons is not null && !ons.StartsWith('E'))
        {
            return null; // Wales, Scotland and Northern Ireland are outside NHS England
        }

        var id = level.Kind == OrgKind.LocalAuthority ? ons : ods ?? (ons is null ? null : observations.IdForOns(ons));
        if (id is null)
        {
            return null;
        }

        // Per-area lookups repeat each organisation thousands of times; the observations are idempotent.
        observations.Entity(entry, id, level.Kind, Sector.Public);
        if (name is not null)
        {
            observations.Name(entry, level.Series, id, name);
        }

        if (ons is not null && id != ons)
        {
            observations.Alias(entry, level.Series, id, ons, AliasScheme.Ons);
        }

        if (level.Role is not null)
        {
            observations.Role(entry, level.Series, id, level.Role);
        }

        return id;
    }

    private static void LinkHealthLevels(ManifestEntry entry, Observations observations, Dictionary<string, string> ids)
    {
        // Each health body is PART_OF the next level up that the row gives (CCG → STP/ICB → region → NHS England).
        var chain = ids.Where(p => Levels[p.Key].Rank > 0).OrderBy(p => Levels[p.Key].Rank).ToList();
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            var series = Levels[chain[i].Key].Series == Series.Ccg ? Series.CcgParent : Series.IcsParent;
            observations.Edge(entry, series, RelationshipType.PartOf, chain[i].Value, chain[i + 1].Value);
        }

        if (chain.Count > 0 && Levels[chain[^1].Key].Kind == OrgKind.Region)
        {
            observations.Entity(entry, NhsEngland, OrgKind.NationalBody, Sector.Public);
            observations.Name(entry, Series.NationalBody, NhsEngland, "NHS England");
            observations.Edge(entry, Series.RegionParent, RelationshipType.PartOf, chain[^1].Value, NhsEngland);
        }
    }

    private static void LinkLocalAuthorities(ManifestEntry entry, Observations observations, Dictionary<string, string> ids)
    {
        // A district within its county (upper tier); unitary authorities are their own upper tier.
        var lower = ids.GetValueOrDefault("LTLA") ?? ids.GetValueOrDefault("LAD");
        var upper = ids.GetValueOrDefault("UTLA") ?? ids.GetValueOrDefault("CTY");
        if (lower is not null && upper is not null && lower != upper)
        {
            observations.Edge(entry, Series.LocalAuthorityParent, RelationshipType.PartOf, lower, upper);
        }
    }

    private sealed record Level(string Series, OrgKind Kind, string? Role, int Rank);

    [GeneratedRegex(@"^(?<prefix>[A-Z]+?)(?<year>\d{2})(?<part>CD|CDH|NM)$")]
    private static partial Regex ColumnPattern();
}
