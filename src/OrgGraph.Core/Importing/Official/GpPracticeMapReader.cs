using System.Globalization;
using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>
/// NHS Digital "Patients Registered at a GP Practice" practice mapping file: one row per practice with its
/// PCN, CCG, STP and commissioning region at the extract date. It names practices and PCNs only; CCG, STP and
/// region names come from the ONS lookups (this file spells some CCG names differently, e.g. "NHS Herts
/// Valley CCG"), so here they are only the targets of edges.
/// </summary>
internal sealed class GpPracticeMapReader : IOfficialReader
{
    public const string Format = "gp-practice-map";

    /// <summary>The PCN code of practices in no PCN ("Unallocated").</summary>
    private const string Unallocated = "U";

    private static readonly string[] Required =
        ["PRACTICE_CODE", "PRACTICE_NAME", "PRACTICE_POSTCODE", "PCN_CODE", "PCN_NAME", "ONS_CCG_CODE", "CCG_CODE", "STP_CODE", "COMM_REGION_CODE"];

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (HeadedFile.Load(entry, path, problems) is not { } file || !file.Require(entry, problems, Required))
        {
            return;
        }

        var ccgParents = new HashSet<(string, string)>();
        var stpParents = new HashSet<(string, string)>();
        var ccgAliases = new HashSet<(string, string)>();
        var unallocated = 0;
        var extractDates = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in file.Rows)
        {
            if (!OfficialFields.TryRequired(file, entry, row, "PRACTICE_CODE", problems, out var practice) |
                !OfficialFields.TryRequired(file, entry, row, "PRACTICE_NAME", problems, out var practiceName) |
                !OfficialFields.TryRequired(file, entry, row, "PCN_CODE", problems, out var pcn) |
                !OfficialFields.TryRequired(file, entry, row, "CCG_CODE", problems, out var ccg) |
                !OfficialFields.TryRequired(file, entry, row, "STP_CODE", problems, out var stp) |
                !OfficialFields.TryRequired(file, entry, row, "COMM_REGION_CODE", problems, out var region))
            {
                continue;
            }

            if (file.Get(row, "EXTRACT_DATE") is { } extract)
            {
                extractDates.Add(extract);
            }

            observations.Entity(entry, practice, OrgKind.GpPractice, Sector.Public,
                properties: OfficialFields.Properties(("postcode", file.Get(row, "PRACTICE_POSTCODE"))));
            observations.Name(entry, Series.Practice, practice, practiceName);

            if (string.Equals(pcn, Unallocated, StringComparison.OrdinalIgnoreCase))
            {
                unallocated++;
            }
            else
            {
                observations.Entity(entry, pcn, OrgKind.Pcn, Sector.Public);
                if (file.Get(row, "PCN_NAME") is { } pcnName)
                {
                    observations.Name(entry, Series.Pcn, pcn, pcnName);
                }

                observations.Edge(entry, Series.PracticePcn, RelationshipType.MemberOf, practice, pcn);
            }

            observations.Edge(entry, Series.PracticeCommissioner, RelationshipType.CommissionedBy, practice, ccg);
            if (file.Get(row, "ONS_CCG_CODE") is { } onsCcg && ccgAliases.Add((ccg, onsCcg)))
            {
                observations.Alias(entry, Series.Ccg, ccg, onsCcg, AliasScheme.Ons);
            }

            if (ccgParents.Add((ccg, stp)))
            {
                observations.Edge(entry, Series.CcgParent, RelationshipType.PartOf, ccg, stp);
            }

            if (stpParents.Add((stp, region)))
            {
                observations.Edge(entry, Series.IcsParent, RelationshipType.PartOf, stp, region);
            }
        }

        if (unallocated > 0)
        {
            observations.Report.Note($"{entry.File}: {unallocated} practices are in no PCN (PCN_CODE '{Unallocated}', Unallocated); no PCN membership for them");
        }

        // The manifest's date is what the facts are dated by; say so when the file's own extract date differs.
        foreach (var extract in extractDates)
        {
            if (!DateOnly.TryParseExact(extract, "ddMMMyyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date != entry.Describes)
            {
                observations.Report.Note($"{entry.File}: EXTRACT_DATE '{extract}' differs from the manifest date {entry.Describes:yyyy-MM-dd}; facts are dated by the manifest");
            }
        }
    }
}
