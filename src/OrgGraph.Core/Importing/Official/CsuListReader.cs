using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>
/// NHSX's curated list of commissioning support units (ODS codes and names), a stand-in for the ODS
/// <c>ecsu</c> file, which no public copy was found of. The name column's header starts with a space in the
/// original (" Organisation Name"); headers are matched trimmed.
/// </summary>
internal sealed class CsuListReader : IOfficialReader
{
    public const string Format = "csu-list";

    private const string CodeColumn = "ODS Code";
    private const string NameColumn = "Organisation Name";

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (HeadedFile.Load(entry, path, problems) is not { } file || !file.Require(entry, problems, CodeColumn, NameColumn))
        {
            return;
        }

        foreach (var row in file.Rows)
        {
            if (!OfficialFields.TryRequired(file, entry, row, CodeColumn, problems, out var code) |
                !OfficialFields.TryRequired(file, entry, row, NameColumn, problems, out var name))
            {
                continue;
            }

            observations.Entity(entry, code, OrgKind.Csu, Sector.Public);
            observations.Name(entry, Series.Csu, code, name);
        }
    }
}
