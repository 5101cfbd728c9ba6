using System.Text;
using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>
/// NHS England's ICB Partner Mapping (sheet "ICB Partners"). Each row carries three independent lists keyed
/// by the ICB: a sub-ICB location, a local-authority partner and an NHS-trust partner; a row's three pairs
/// are not related to one another, and any of them may be blank.
/// <para>
/// Local authorities are given by ODS LA code and council name, but the graph keys them on ONS codes from
/// the ONS lookups, which may be read before or after this file. So the council rows are kept and matched by
/// name in <see cref="Complete"/>, which the import calls once after every reader has run.
/// </para>
/// </summary>
internal sealed class IcbPartnersReader : IOfficialReader, IDeferredReader
{
    public const string Format = "icb-partners";

    private const string IcbColumn = "ODS ICB Code";
    private const string SubIcbColumn = "ODS Sub ICB Code";
    private const string CouncilColumn = "Local Authority";
    private const string CouncilCodeColumn = "ODS LA Code";
    private const string TrustColumn = "ODS Trust Code";

    /// <summary>Phrases that say what kind of council a body is, not which; longest first so the longer wins.</summary>
    private static readonly string[] CouncilWords =
    [
        "metropolitan borough council", "metropolitan district council", "county borough council",
        "london borough of", "royal borough of", "corporation of the", "council of the",
        "borough council", "district council", "county council", "city council",
        "council", "city of", "county of", "the",
    ];

    /// <summary>
    /// Spellings in the partner list that no normalisation can reach: an abbreviation, a short form and a
    /// misspelling of the council's name (keys and values are normalised).
    /// </summary>
    private static readonly Dictionary<string, string> KnownSpellings = new(StringComparer.Ordinal)
    {
        ["bcp"] = "bournemouth christchurch and poole",
        ["hull"] = "kingston upon hull",
        ["middlesborough"] = "middlesbrough",
    };

    private readonly List<CouncilPartner> _councils = [];

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (HeadedFile.Load(entry, path, problems) is not { } file ||
            !file.Require(entry, problems, IcbColumn, SubIcbColumn, CouncilColumn, CouncilCodeColumn, TrustColumn))
        {
            return;
        }

        foreach (var row in file.Rows)
        {
            if (!OfficialFields.TryRequired(file, entry, row, IcbColumn, problems, out var icb))
            {
                continue;
            }

            if (file.Get(row, SubIcbColumn) is { } subIcb)
            {
                observations.Edge(entry, Series.CcgParent, RelationshipType.PartOf, subIcb, icb);
            }

            if (file.Get(row, TrustColumn) is { } trust)
            {
                observations.Edge(entry, Series.TrustIcb, RelationshipType.MemberOf, trust, icb, single: false);
            }

            var council = file.Get(row, CouncilColumn);
            var councilCode = file.Get(row, CouncilCodeColumn);
            if (council is not null)
            {
                _councils.Add(new CouncilPartner(entry, row.Line, council, councilCode, icb));
            }
            else if (councilCode is not null)
            {
                observations.Report.Note(entry, row.Line, $"ODS LA code '{councilCode}' has no council name; not matched");
            }
        }
    }

    /// <summary>
    /// Matches the council partners read so far to the local authorities the other readers described, by
    /// their newest names. Called once, after every reader has run.
    /// </summary>
    public void Complete(Observations observations) =>
        ResolveLocalAuthorities(observations, IndexByName(observations.Entities.Values
            .Where(e => e.Kind == OrgKind.LocalAuthority && e.LastName is not null)
            .Select(e => (e.Id, e.LastName!))));

    /// <summary>
    /// Matches the council partners read so far to local-authority entities by normalised name and records
    /// their ICB membership and ODS codes. Call once, after every reader has run (the LA entities come from the
    /// ONS lookups). <paramref name="idsForNormalisedName"/> gives the entity ids whose name, passed through
    /// <see cref="NormaliseCouncilName"/>, equals its argument (<see cref="IndexByName"/> builds one).
    /// </summary>
    public void ResolveLocalAuthorities(Observations observations, Func<string, IEnumerable<string>> idsForNormalisedName)
    {
        foreach (var council in _councils)
        {
            var candidates = idsForNormalisedName(NormaliseCouncilName(council.Name))
                .Distinct(StringComparer.Ordinal)
                .Where(id => observations.Entities.TryGetValue(id, out var e) && e.Kind == OrgKind.LocalAuthority)
                .ToList();
            if (candidates.Count > 1)
            {
                candidates = Current(observations, candidates, council.File.Describes);
            }

            switch (candidates.Count)
            {
                case 0:
                    observations.Report.Note(council.File, council.Line, $"council '{council.Name}' (ODS LA code {council.Code ?? "none"}) matches no local authority by name; its ICB partnership with {council.Icb} is not recorded");
                    break;
                case > 1:
                    observations.Report.Note(council.File, council.Line, $"council '{council.Name}' matches several local authorities ({string.Join(", ", candidates.Order(StringComparer.Ordinal))}); its ICB partnership with {council.Icb} is not recorded");
                    break;
                default:
                    var id = candidates[0];
                    observations.Edge(council.File, Series.LocalAuthorityIcb, RelationshipType.MemberOf, id, council.Icb, single: false);
                    if (council.Code is not null)
                    {
                        observations.Alias(council.File, Series.LocalAuthority, id, council.Code, AliasScheme.Ods);
                    }

                    break;
            }
        }

        _councils.Clear();
    }

    /// <summary>
    /// Where a name has been reused (Buckinghamshire's county council, then its unitary council from 2020),
    /// the bodies not known to have closed by the file's date, and of those the ones most recently named so.
    /// </summary>
    private static List<string> Current(Observations observations, List<string> candidates, DateOnly date)
    {
        var open = candidates.Where(id => observations.Entities[id].Closed is not { } c || c >= date).ToList();
        var pool = open.Count > 0 ? open : candidates;
        var newest = pool.Max(id => observations.Entities[id].NameDate);
        return newest > DateOnly.MinValue && newest <= date ? pool.Where(id => observations.Entities[id].NameDate == newest).ToList() : pool;
    }

    /// <summary>
    /// A council's name reduced to the place it serves: lower case, "&amp;" as "and", punctuation as spaces,
    /// and the words that name the type of council dropped ("Gateshead Metropolitan Borough Council" and
    /// ONS "Gateshead" both give "gateshead"; "Bristol City Council" and "Bristol, City of" give "bristol").
    /// </summary>
    public static string NormaliseCouncilName(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        foreach (var c in name.ToLowerInvariant())
        {
            text.Append(c == '&' ? " and " : char.IsLetterOrDigit(c) ? c : ' ');
        }

        var padded = " " + string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)) + " ";
        foreach (var words in CouncilWords)
        {
            padded = padded.Replace(" " + words + " ", " ", StringComparison.Ordinal);
        }

        var normalised = string.Join(' ', padded.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // "County Durham" (ONS) against "Durham County Council" (ODS).
        if (normalised.StartsWith("county ", StringComparison.Ordinal))
        {
            normalised = normalised["county ".Length..];
        }

        return KnownSpellings.GetValueOrDefault(normalised, normalised);
    }

    /// <summary>A lookup for <see cref="ResolveLocalAuthorities"/> from (id, name) pairs of local authorities.</summary>
    public static Func<string, IEnumerable<string>> IndexByName(IEnumerable<(string Id, string Name)> names)
    {
        var index = names.ToLookup(n => NormaliseCouncilName(n.Name), n => n.Id, StringComparer.Ordinal);
        return normalised => index[normalised];
    }

    private sealed record CouncilPartner(ManifestEntry File, int Line, string Name, string? Code, string Icb);
}
