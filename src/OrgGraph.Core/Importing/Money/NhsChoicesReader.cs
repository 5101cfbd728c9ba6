using System.Text;
using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// The NHS Choices provider lists of February 2014 (docs/money.md, format <c>nhs-choices</c>): <c>Trust.csv</c>
/// (organisations) and <c>Hospital.csv</c> (sites with their parent organisation), told apart by their headers. Fields are
/// separated by <c>¬</c> (byte 0xAC), the text is Windows-1252, lines end in CRLF and nothing is quoted. An "Independent"
/// organisation becomes a node (ODS code, COMPANY, PRIVATE, or THIRD_SECTOR where its name says it is a community
/// interest company); NHS trusts are left to the ODS files. Each site becomes a node (ODS site code, OTHER, the sector
/// the file gives it) OPERATED_BY its parent, a snapshot fact like those of the other ODS files. A file whose header
/// or rows do not have the layout refuses the import.
/// </summary>
internal sealed class NhsChoicesReader : IOfficialReader, IDeferredReader
{
    public const string Format = "nhs-choices";
    public const char Separator = '\u00AC';

    public const string ProviderSeries = "nhs-choices.provider";
    public const string SiteSeries = "nhs-choices.site";
    public const string SiteOperatorSeries = "nhs-choices.site.operator";

    private const string Code = "OrganisationCode";
    private const string Name = "OrganisationName";
    private const string SubType = "SubType";
    private const string SectorColumn = "Sector";
    private const string Parent = "ParentODSCode";
    private const string Postcode = "Postcode";
    private const string Independent = "Independent";

    private static readonly string[] AddressColumns = ["Address1", "Address2", "Address3", "City", "County"];

    /// <summary>Windows-1252, not Latin-1: the files use 0x92 for ’, which Latin-1 reads as a control character.</summary>
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>Each site's OPERATED_BY as read, checked against its parent's ODS close date once every file is read.</summary>
    private readonly List<(ManifestEntry File, int Line, string Site, string Parent)> _operators = [];

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        var lines = Windows1252.GetString(File.ReadAllBytes(path)).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var header = lines.Count == 0 ? [] : lines[0].Split(Separator);
        if (header.Length < 2)
        {
            problems.Add(new ImportProblem(entry.File, 1, 1, null, $"the header is not ¬-separated (byte 0xAC) as the NHS Choices files are: '{(lines.Count == 0 ? "" : lines[0])}'"));
            return;
        }

        // Hospital.csv adds Sector and the parent's code and name to the columns of Trust.csv.
        var hospital = new[] { SectorColumn, Parent, "ParentName" }.Any(c => header.Contains(c, StringComparer.Ordinal));
        var required = hospital ? new[] { Code, Name, SubType, SectorColumn, Parent } : [Code, Name, SubType];
        var missing = required.Where(c => !header.Contains(c, StringComparer.Ordinal)).ToList();
        foreach (var column in missing)
        {
            problems.Add(new ImportProblem(entry.File, 1, 1, column, $"required column '{column}' is missing from the NHS Choices {(hospital ? "Hospital" : "Trust")}.csv header"));
        }

        if (missing.Count > 0)
        {
            return;
        }

        var rows = new List<Row>();
        for (var i = 1; i < lines.Count; i++)
        {
            var fields = lines[i].Split(Separator);
            if (fields.Length != header.Length)
            {
                var column = Math.Min(fields.Length, header.Length) + 1;
                problems.Add(new ImportProblem(entry.File, i + 1, column, column <= header.Length ? header[column - 1] : null,
                    $"expected the {header.Length} ¬-separated fields of the header, found {fields.Length}"));
                continue;
            }

            var row = new Row(i + 1, lines[i], header.Zip(fields).ToDictionary(p => p.First, p => p.Second.Trim(), StringComparer.Ordinal));
            if (row[Code].Length == 0)
            {
                problems.Add(new ImportProblem(entry.File, row.Line, Array.IndexOf(header, Code) + 1, Code, "the organisation code is empty"));
                continue;
            }

            rows.Add(row);
        }

        if (hospital)
        {
            ReadSites(entry, header, rows, observations, problems);
        }
        else
        {
            ReadOrganisations(entry, rows, observations);
        }
    }

    private static void ReadOrganisations(ManifestEntry entry, List<Row> rows, Observations observations)
    {
        foreach (var row in rows.Where(r => r[SubType] == Independent))
        {
            // "Independent" means not NHS: private companies, and some social enterprises that say so in their name.
            var communityInterest = row[Name].Split(' ', '(', ')', ',', '.').Contains("CIC", StringComparer.OrdinalIgnoreCase) ||
                row[Name].Contains("Community Interest Company", StringComparison.OrdinalIgnoreCase);
            observations.Entity(entry, row[Code], OrgKind.Company, communityInterest ? Sector.ThirdSector : Sector.Private,
                properties: OfficialFields.Properties(("postcode", row.Get(Postcode)), ("address", row.Address), ("nhsChoicesSubType", row[SubType])));
            observations.Name(entry, ProviderSeries, row[Code], row[Name]);
        }

        observations.Report.Note($"{entry.File}: {rows.Count(r => r[SubType] == Independent)} independent provider(s) read; {rows.Count(r => r[SubType] != Independent)} NHS trust row(s) left to the ODS files");
    }

    private void ReadSites(ManifestEntry entry, string[] header, List<Row> rows, Observations observations, List<ImportProblem> problems)
    {
        var sectorColumn = Array.IndexOf(header, SectorColumn) + 1;
        var sites = rows.GroupBy(r => r[Code], StringComparer.Ordinal).ToList();
        foreach (var site in sites)
        {
            // A site is repeated once per e-mail or website value: the rest of its rows agree, except where reported.
            var first = site.First();
            var parents = site.Select(r => r[Parent]).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (parents.Count > 1)
            {
                observations.Report.Note(entry, first.Line, $"site {site.Key} has {parents.Count} parents ({string.Join(", ", parents)}); OPERATED_BY {parents[0]} kept");
            }

            Sector sector;
            switch (first[SectorColumn])
            {
                case "Independent Sector":
                    sector = Sector.Private;
                    break;
                case "NHS Sector":
                    sector = Sector.Public;
                    break;
                default:
                    problems.Add(new ImportProblem(entry.File, first.Line, sectorColumn, SectorColumn, $"'{first[SectorColumn]}' is not a sector of the file (Independent Sector, NHS Sector)"));
                    continue;
            }

            observations.Entity(entry, site.Key, OrgKind.Other, sector, properties: OfficialFields.Properties(
                ("siteType", first[SubType]), ("nhsChoicesSector", first[SectorColumn]), ("postcode", first.Get(Postcode)), ("address", first.Address)));
            observations.Name(entry, SiteSeries, site.Key, first[Name]);
            if (parents.Count > 0)
            {
                observations.Edge(entry, SiteOperatorSeries, RelationshipType.OperatedBy, site.Key, parents[0]);
                _operators.Add((entry, first.Line, site.Key, parents[0]));
            }
        }

        var exact = rows.Count - rows.Select(r => r.Text).Distinct(StringComparer.Ordinal).Count();
        observations.Report.Note($"{entry.File}: {rows.Count} row(s), {sites.Count} site(s): {exact} exact duplicate row(s) and {rows.Count - sites.Count - exact} more repeated site row(s) merged, one site per {Code}");
    }

    /// <summary>
    /// A site listed under a parent the ODS files close before the snapshot keeps no OPERATED_BY (a snapshot fact does not
    /// start after its target closed): each is reported here, as the import reports a parent no file describes.
    /// </summary>
    public void Complete(Observations observations)
    {
        foreach (var (file, line, site, parent) in _operators)
        {
            if (observations.Entities.GetValueOrDefault(parent)?.Closed is { } closed && closed < file.Describes)
            {
                observations.Report.Note(file, line, $"site {site}: its parent {parent} closed on {closed:yyyy-MM-dd}, before the file's date; OPERATED_BY left out");
            }
        }

        _operators.Clear();
    }

    private sealed record Row(int Line, string Text, Dictionary<string, string> Fields)
    {
        public string this[string column] => Fields[column];

        public string? Get(string column) => Fields.GetValueOrDefault(column) is { Length: > 0 } v ? v : null;

        public string? Address => string.Join(", ", AddressColumns.Select(Get).OfType<string>()) is { Length: > 0 } a ? a : null;
    }
}
