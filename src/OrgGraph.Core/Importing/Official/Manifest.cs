using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>One official file in a seed manifest: which reader reads it, and the date it describes.</summary>
public sealed record ManifestEntry
{
    /// <summary>Path relative to the manifest's directory.</summary>
    public required string File { get; init; }
    /// <summary>Reader name, e.g. <c>ons-lookup</c>, <c>ods-eccg</c>.</summary>
    public required string Format { get; init; }
    /// <summary>The date the file describes (a lookup's reference date, an extract's snapshot date).</summary>
    public required DateOnly Describes { get; init; }
    public required Source Source { get; init; }
    /// <summary>Spend files: the paying body's node id, or <c>entity=id</c> pairs separated by <c>;</c> for a file whose entity column names several.</summary>
    public string? Body { get; init; }
    /// <summary>Spend files: how finely the file reports money (<see cref="SpendGranularity"/> wire name).</summary>
    public string? Granularity { get; init; }
    /// <summary>Manifest line, for error messages.</summary>
    public int Line { get; init; }
}

/// <summary>
/// Reads <c>manifest.csv</c>: <c>file, format, describes, source_id, title, publisher, url, published, licence</c>, and for
/// spend files <c>body</c> and <c>granularity</c>.
/// </summary>
internal static class Manifest
{
    public const string FileName = "manifest.csv";

    private static readonly string[] Required = ["file", "format", "describes", "source_id", "title"];
    private static readonly string[] Optional = ["publisher", "url", "published", "licence", "notes", "body", "granularity"];

    public static IReadOnlyList<ManifestEntry> Read(string directory, IReadOnlySet<string> formats, List<ImportProblem> problems)
    {
        var table = CsvTable.Load(Path.Combine(directory, FileName), Required, Optional, problems);
        if (table is null)
        {
            return [];
        }

        var entries = new List<ManifestEntry>();
        foreach (var row in table.Rows)
        {
            var file = table.RequiredText(row, "file");
            var format = table.RequiredText(row, "format");
            var describes = table.Date(row, "describes");
            if (describes is null)
            {
                table.Problem(row, "describes", "the date the file describes is required");
            }

            if (format.Length > 0 && !formats.Contains(format))
            {
                table.Problem(row, "format", $"no reader for format '{format}' (known: {string.Join(", ", formats.Order())})");
            }

            if (file.Length > 0 && !System.IO.File.Exists(Path.Combine(directory, file)))
            {
                table.Problem(row, "file", $"file '{file}' does not exist");
            }

            entries.Add(new ManifestEntry
            {
                File = file,
                Format = format,
                Describes = describes ?? default,
                Line = row.Line,
                Body = table.Text(row, "body"),
                Granularity = table.Text(row, "granularity"),
                Source = new Source
                {
                    Id = table.Key(row, "source_id"),
                    Title = table.RequiredText(row, "title"),
                    Publisher = table.Text(row, "publisher"),
                    Url = table.Text(row, "url"),
                    Published = table.Date(row, "published"),
                    Retrieved = null,
                    Licence = table.Text(row, "licence"),
                },
            });
        }

        return entries;
    }
}
