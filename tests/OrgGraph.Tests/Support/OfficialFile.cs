using OrgGraph.Importing;

namespace OrgGraph.Tests.Support;

/// <summary>Reads an official file copied into seed/official, so tests compute expectations independently of the seed CSVs.</summary>
public static class OfficialFile
{
    public static List<Dictionary<string, string>> Read(string name)
    {
        using var stream = File.OpenRead(Path.Combine(Repo.Seed, "official", name));
        var records = CsvReader.Read(stream, name).ToList();
        var header = records[0].Fields;
        return records.Skip(1).Select(r => header.Select((h, i) => (h, v: r.Fields[i])).ToDictionary(p => p.h, p => p.v)).ToList();
    }

    /// <summary>The rows of a headerless ODS extract, as fields by position.</summary>
    public static List<IReadOnlyList<string>> ReadHeadless(string name)
    {
        using var stream = File.OpenRead(Path.Combine(Repo.Seed, "official", name));
        return CsvReader.Read(stream, name).Select(r => r.Fields).ToList();
    }
}
