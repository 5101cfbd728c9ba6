namespace OrgGraph.Importing.Official;

/// <summary>Reads one published file format into <see cref="Observations"/> at the date the manifest gives.</summary>
internal interface IOfficialReader
{
    /// <summary>The manifest format names this reader handles.</summary>
    IReadOnlyCollection<string> Formats { get; }

    /// <summary>Reads the file; a problem that makes the file unusable is added to <paramref name="problems"/> with its location.</summary>
    void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems);
}

/// <summary>Helpers for files with a header row whose columns are looked up by name.</summary>
internal sealed class HeadedFile
{
    private readonly Dictionary<string, int> _columns;

    private HeadedFile(string name, IReadOnlyList<string> header, IReadOnlyList<CsvRecord> rows)
    {
        Name = name;
        Header = header;
        _columns = header.Select((h, i) => (h: h.Trim(), i)).GroupBy(c => c.h).ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);
        Rows = rows;
    }

    public string Name { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<CsvRecord> Rows { get; }

    public static HeadedFile? Load(ManifestEntry entry, string path, List<ImportProblem> problems)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var records = CsvReader.Read(stream, entry.File).ToList();
            if (records.Count == 0)
            {
                problems.Add(new ImportProblem(entry.File, 1, 1, null, "the file is empty"));
                return null;
            }

            return new HeadedFile(entry.File, records[0].Fields, records.Skip(1).ToList());
        }
        catch (CsvFormatException e)
        {
            problems.Add(new ImportProblem(entry.File, e.Line, e.Column, null, e.Reason));
            return null;
        }
    }

    public bool Has(string column) => _columns.ContainsKey(column);

    public string? Get(CsvRecord row, string column) =>
        _columns.TryGetValue(column, out var i) && i < row.Fields.Count && row.Fields[i].Trim() is { Length: > 0 } v ? v : null;

    /// <summary>Reports a missing required column (at the header) and returns false.</summary>
    public bool Require(ManifestEntry entry, List<ImportProblem> problems, params string[] columns)
    {
        var missing = columns.Where(c => !Has(c)).ToList();
        foreach (var column in missing)
        {
            problems.Add(new ImportProblem(entry.File, 1, 1, column, $"required column '{column}' is missing for format {entry.Format}"));
        }

        return missing.Count == 0;
    }
}
