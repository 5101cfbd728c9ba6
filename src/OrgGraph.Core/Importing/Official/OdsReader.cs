using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>
/// The headerless ODS CSV downloads in the standard 27-column layout: <c>etr</c> (NHS trusts), <c>ect</c>
/// (care trusts), <c>eccg</c> (CCGs and sub-ICB locations, commissioning hubs, sub-ICB reporting entities) and
/// <c>epraccur</c> (GP practices, same first 12 columns, then practice-specific ones). Column positions
/// are 1-based, as in the ODS specification and SOURCES.md.
/// </summary>
internal sealed class OdsReader : IOfficialReader
{
    public const string Etr = "ods-etr";
    public const string Ect = "ods-ect";
    public const string Eccg = "ods-eccg";
    public const string Epraccur = "ods-epraccur";

    /// <summary>
    /// Care trusts get their own series: ect lists only care trusts, so read as part of the trust series it
    /// would "show" every etr trust as missing at its date and cut their names short.
    /// </summary>
    public const string CareTrustSeries = Series.Trust + ".care";
    public const string CareTrustParentSeries = CareTrustSeries + ".parent";
    public const string OtherParentSeries = Series.Other + ".parent";

    private const int ColumnCount = 27;
    private const int CodeColumn = 1;
    private const int NameColumn = 2;
    private const int ParentColumn = 4;
    private const int PostcodeColumn = 10;
    private const int OpenColumn = 11;
    private const int CloseColumn = 12;
    private const int StatusColumn = 13;
    private const int SubTypeColumn = 14;
    private const int CommissionerColumn = 15;
    private const int JoinColumn = 16;
    private const int SettingColumn = 26;

    /// <summary>epraccur prescribing setting of a GP practice (others are out-of-hours, walk-in, prison, ...).</summary>
    private const string GpPracticeSetting = "4";
    /// <summary>ODS role of a sub-ICB reporting entity in eccg.</summary>
    private const string SubIcbReportingEntity = "RO327";
    /// <summary>The "none" high-level health geography (e.g. Welsh trusts in the 2022 etr).</summary>
    private const string NoGeography = "Q99";

    public IReadOnlyCollection<string> Formats { get; } = [Etr, Ect, Eccg, Epraccur];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (OfficialFields.ReadAll(entry, path, problems) is not { } rows)
        {
            return;
        }

        var counts = new Counts();
        foreach (var row in rows)
        {
            if (row.Fields.Count != ColumnCount)
            {
                problems.Add(new ImportProblem(entry.File, row.Line, 1, null,
                    $"expected the {ColumnCount} fields of the ODS layout, found {row.Fields.Count}"));
                continue;
            }

            var code = OfficialFields.At(row, CodeColumn);
            var name = OfficialFields.At(row, NameColumn);
            if (code.Length == 0 || name.Length == 0)
            {
                problems.Add(new ImportProblem(entry.File, row.Line, code.Length == 0 ? CodeColumn : NameColumn,
                    code.Length == 0 ? "Organisation Code" : "Name", "an ODS row needs a code and a name"));
                continue;
            }

            if (entry.Format == Epraccur && OfficialFields.At(row, SettingColumn) != GpPracticeSetting)
            {
                counts.NotPractices++;
                continue;
            }

            // Both dates are checked before either is used, so one row reports both of its bad dates.
            var openOk = OfficialFields.TryOdsDate(entry, row, OpenColumn, "Open Date", problems, out var opened);
            var closeOk = OfficialFields.TryOdsDate(entry, row, CloseColumn, "Close Date", problems, out var closed);
            if (!openOk || !closeOk)
            {
                continue;
            }

            // A close date after the snapshot still means open at the snapshot.
            var open = closed is null || closed >= entry.Describes;
            var org = new Row(row, code, name, opened, closed, open);
            switch (entry.Format)
            {
                case Etr or Ect:
                    ReadTrust(entry, org, observations);
                    break;
                case Eccg:
                    ReadCommissioner(entry, org, observations, counts);
                    break;
                case Epraccur:
                    ReadPractice(entry, org, observations, problems, counts);
                    break;
            }
        }

        if (counts.NotPractices > 0)
        {
            observations.Report.Note($"{entry.File}: {counts.NotPractices} rows are not GP practices (prescribing setting other than {GpPracticeSetting}: out-of-hours, walk-in, prison, ...); skipped");
        }

        if (counts.ClosedPractices > 0)
        {
            observations.Report.Note($"{entry.File}: {counts.ClosedPractices} closed practices (status C) list the commissioner they had when they closed, not at the file's date; their commissioner is not read");
        }

        if (counts.HubsWithGeography > 0)
        {
            observations.Report.Note($"{entry.File}: {counts.HubsWithGeography} open commissioning hubs carry the ICB of their office's address in column 4 (e.g. QWO for NHS England's Leeds office), not a parent; not read as PART_OF");
        }
    }

    private static void ReadTrust(ManifestEntry entry, Row org, Observations observations)
    {
        var care = entry.Format == Ect;
        var foundation = org.Name.EndsWith("NHS FOUNDATION TRUST", StringComparison.OrdinalIgnoreCase);
        var series = care ? CareTrustSeries : Series.Trust;
        observations.Entity(entry, org.Code, OrgKind.Trust, Sector.Public, org.Opened, org.Closed,
            OfficialFields.Properties(("postcode", OfficialFields.At(org.Record, PostcodeColumn)), ("foundationTrust", foundation)));
        observations.Name(entry, series, org.Code, org.Name);
        observations.Role(entry, series, org.Code, care ? "CARE_TRUST" : foundation ? "FOUNDATION_TRUST" : "NHS_TRUST");

        // A closed trust's column 4 is what ODS holds now, which need not be its STP/ICB when it closed.
        if (org.Open && Geography(org.Record) is { } parent)
        {
            observations.Edge(entry, care ? CareTrustParentSeries : Series.TrustParent, RelationshipType.PartOf, org.Code, parent);
        }
    }

    private static void ReadCommissioner(ManifestEntry entry, Row org, Observations observations, Counts counts)
    {
        if (org.Name.EndsWith("CCG", StringComparison.OrdinalIgnoreCase) || org.Name.Contains(" ICB - ", StringComparison.OrdinalIgnoreCase))
        {
            // No role here: whether a code is a CCG or a sub-ICB location on a date comes from the ONS lookups.
            observations.Entity(entry, org.Code, OrgKind.Ccg, Sector.Public, org.Opened, org.Closed);
            observations.Name(entry, Series.Ccg, org.Code, org.Name);
            if (org.Open && Geography(org.Record) is { } icb)
            {
                observations.Edge(entry, Series.CcgParent, RelationshipType.PartOf, org.Code, icb);
            }

            return;
        }

        var role = OfficialFields.At(org.Record, SubTypeColumn);
        observations.Entity(entry, org.Code, OrgKind.Other, Sector.Public, org.Opened, org.Closed, OfficialFields.Properties(("odsRole", role)));
        observations.Name(entry, Series.Other, org.Code, org.Name);
        if (!org.Open || Geography(org.Record) is not { } parent)
        {
            return;
        }

        // Sub-ICB reporting entities report to the ICB in column 4. Commissioning hubs (RO218) are NHS England
        // teams: their column 4 follows their office's address, so it is not a parent.
        if (role == SubIcbReportingEntity)
        {
            observations.Edge(entry, OtherParentSeries, RelationshipType.PartOf, org.Code, parent);
        }
        else
        {
            counts.HubsWithGeography++;
        }
    }

    private static void ReadPractice(ManifestEntry entry, Row org, Observations observations, List<ImportProblem> problems, Counts counts)
    {
        if (!OfficialFields.TryOdsDate(entry, org.Record, JoinColumn, "Join Provider/Purchaser Date", problems, out var joined))
        {
            return;
        }

        var status = OfficialFields.At(org.Record, StatusColumn);
        observations.Entity(entry, org.Code, OrgKind.GpPractice, Sector.Public, org.Opened, org.Closed,
            OfficialFields.Properties(("postcode", OfficialFields.At(org.Record, PostcodeColumn)), ("status", status)));
        observations.Name(entry, Series.Practice, org.Code, org.Name);

        var commissioner = OfficialFields.At(org.Record, CommissionerColumn);
        if (status is "A" or "D" && commissioner.Length > 0)
        {
            observations.Edge(entry, Series.PracticeCommissioner, RelationshipType.CommissionedBy, org.Code, commissioner, since: joined);
        }
        else if (status == "C")
        {
            counts.ClosedPractices++;
        }
    }

    /// <summary>Column 4 when it names an STP/ICB; empty and Q99 mean none.</summary>
    private static string? Geography(CsvRecord row) =>
        OfficialFields.At(row, ParentColumn) is { Length: > 0 } code && code != NoGeography ? code : null;

    private sealed record Row(CsvRecord Record, string Code, string Name, DateOnly? Opened, DateOnly? Closed, bool Open);

    private sealed class Counts
    {
        public int NotPractices { get; set; }
        public int ClosedPractices { get; set; }
        public int HubsWithGeography { get; set; }
    }
}
