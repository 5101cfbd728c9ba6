using System.Text.Json;
using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>
/// The distinct (CCG, provider) pairs of NHS Digital's IAPT monthly data, September 2020 to September 2021,
/// as extracted by open-innovations/mental-health-data-map. Each pair says the provider reported IAPT
/// activity for the CCG's patients in that period, which is read as the CCG commissioning IAPT from it.
/// <para>
/// Providers are given as trust codes, trust site codes (the trust's code plus two characters) or codes of
/// non-NHS providers. Whether a five-character code is a site of a known trust depends on the trusts read
/// from other files, so the rows are kept and turned into relationships in <see cref="Resolve"/>, which the
/// import calls once after every reader has run.
/// </para>
/// </summary>
internal sealed class IaptPairsReader : IOfficialReader, IDeferredReader
{
    public const string Format = "iapt-pairs";

    private const string CcgColumn = "CCG21CDH";
    private const string ProviderColumn = "trust_code";
    private const string ProviderNameColumn = "trust_name";
    private const string Basis = "provider reported IAPT activity for this CCG in NHS Digital's IAPT monthly data, Sep 2020–Sep 2021";

    /// <summary>The months of IAPT data the pairs were taken from (SOURCES.md), cut to each CCG's and trust's lifetime.</summary>
    private static readonly DateOnly PeriodStart = new(2020, 9, 1);
    private static readonly DateOnly PeriodEnd = new(2021, 9, 30);

    private readonly List<Pair> _pairs = [];

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (HeadedFile.Load(entry, path, problems) is not { } file || !file.Require(entry, problems, CcgColumn, ProviderColumn, ProviderNameColumn))
        {
            return;
        }

        var invalid = 0;
        foreach (var row in file.Rows)
        {
            if (!OfficialFields.TryRequired(file, entry, row, CcgColumn, problems, out var ccg) |
                !OfficialFields.TryRequired(file, entry, row, ProviderColumn, problems, out var provider))
            {
                continue;
            }

            // The source writes "InvalidCode" where the IAPT data had no valid CCG for the activity.
            if (!IsOdsCode(ccg))
            {
                invalid++;
                continue;
            }

            _pairs.Add(new Pair(entry, row.Line, ccg, provider, file.Get(row, ProviderNameColumn) ?? provider));
        }

        if (invalid > 0)
        {
            observations.Report.Note($"{entry.File}: {invalid} rows have no valid CCG code (e.g. 'InvalidCode'); skipped");
        }
    }

    public void Complete(Observations observations) => Resolve(observations);

    /// <summary>
    /// Turns the pairs read so far into COMMISSIONED_BY relationships, provider → CCG: a site of a known trust
    /// is folded into its trust (one relationship per trust and CCG, the sites listed as properties), and the
    /// period is cut to the lifetimes the files give the CCG and the trust (many CCGs closed on 2021-03-31,
    /// their successors opened the next day). Call once, after every reader has run.
    /// </summary>
    public void Resolve(Observations observations)
    {
        var unknownCcgs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in _pairs
            .Select(p => (Pair: p, From: TrustOfSite(observations, p.Provider) ?? p.Provider))
            .GroupBy(p => (p.Pair.File, p.From, p.Pair.Ccg))
            .OrderBy(g => g.Min(p => p.Pair.Line)))
        {
            var (file, from, ccg) = group.Key;
            if (!observations.Entities.TryGetValue(ccg, out var commissioner))
            {
                unknownCcgs.Add(ccg);
                continue;
            }

            var provider = observations.Entities.GetValueOrDefault(from);
            var validFrom = Latest(PeriodStart, commissioner.Opened, provider?.Opened);
            var validTo = Earliest(PeriodEnd, commissioner.Closed, provider?.Closed);
            if (validTo < validFrom)
            {
                observations.Report.Note(file, group.Min(p => p.Pair.Line),
                    $"{from} → {ccg}: the CCG or provider did not exist during Sep 2020–Sep 2021 by the dates the files give; skipped");
                continue;
            }

            var sites = group.Where(p => p.From != p.Pair.Provider).Select(p => p.Pair).DistinctBy(p => (p.Provider, p.ProviderName)).ToList();
            var properties = OfficialFields.Properties(
                ("service", "IAPT"),
                ("basis", Basis),
                ("site", string.Join("; ", sites.Select(s => s.Provider).Distinct())),
                ("siteName", string.Join("; ", sites.Select(s => s.ProviderName))));
            observations.DatedEdge(file, new Relationship
            {
                Type = RelationshipType.CommissionedBy,
                From = from,
                To = ccg,
                ValidFrom = validFrom,
                ValidTo = validTo,
                // Official activity data, but the commissioning reading and the pairing are a third party's.
                Confidence = Confidence.Reported,
                Properties = JsonSerializer.Serialize(properties),
            });
        }

        if (unknownCcgs.Count > 0)
        {
            observations.Report.Note($"IAPT pairs: no file describes the commissioner(s) {string.Join(", ", unknownCcgs)}; their pairs are skipped");
        }

        _pairs.Clear();
    }

    /// <summary>The trust a five-character site code belongs to, when its first three characters are a known trust.</summary>
    private static string? TrustOfSite(Observations observations, string code) =>
        code.Length == 5 && observations.Entities.TryGetValue(code[..3], out var trust) && trust.Kind == OrgKind.Trust ? code[..3] : null;

    private static bool IsOdsCode(string code) => code.Length is >= 3 and <= 5 && code.All(char.IsAsciiLetterOrDigit);

    private static DateOnly Latest(DateOnly start, params DateOnly?[] others) =>
        others.Aggregate(start, (a, b) => b is { } d && d > a ? d : a);

    private static DateOnly Earliest(DateOnly end, params DateOnly?[] others) =>
        others.Aggregate(end, (a, b) => b is { } d && d < a ? d : a);

    private sealed record Pair(ManifestEntry File, int Line, string Ccg, string Provider, string ProviderName);
}
