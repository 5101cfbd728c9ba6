using System.Globalization;

namespace OrgGraph.Importing.Official;

/// <summary>Field reading shared by the readers of official files, so every bad value is reported the same way.</summary>
internal static class OfficialFields
{
    /// <summary>Every record of a headerless file, or null when it is not valid CSV (the problem is recorded).</summary>
    public static List<CsvRecord>? ReadAll(ManifestEntry entry, string path, List<ImportProblem> problems)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return CsvReader.Read(stream, entry.File).ToList();
        }
        catch (CsvFormatException e)
        {
            problems.Add(new ImportProblem(entry.File, e.Line, e.Column, null, e.Reason));
            return null;
        }
    }

    /// <summary>The trimmed field at a 1-based column ("" when the row is short).</summary>
    public static string At(CsvRecord row, int column) => column <= row.Fields.Count ? row.Fields[column - 1].Trim() : "";

    /// <summary>
    /// An ODS date (YYYYMMDD) at a 1-based column: empty is null; anything else that is not a calendar date
    /// is a problem naming the file, line, column and field, and the method returns false.
    /// </summary>
    public static bool TryOdsDate(ManifestEntry entry, CsvRecord row, int column, string field, List<ImportProblem> problems, out DateOnly? date)
    {
        date = null;
        var text = At(row, column);
        if (text.Length == 0)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }

        problems.Add(new ImportProblem(entry.File, row.Line, column, field, $"'{text}' is not a date (expected YYYYMMDD)"));
        return false;
    }

    /// <summary>Entity or relationship properties without the empty ones (a blank cell says nothing).</summary>
    public static Dictionary<string, object> Properties(params (string Key, object? Value)[] pairs) =>
        pairs.Where(p => p.Value is not (null or "")).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    /// <summary>A value a row cannot do without; a missing one is a problem at its cell, and the method returns false.</summary>
    public static bool TryRequired(HeadedFile file, ManifestEntry entry, CsvRecord row, string column, List<ImportProblem> problems, out string value)
    {
        value = file.Get(row, column) ?? "";
        if (value.Length > 0)
        {
            return true;
        }

        var index = file.Header.Select(h => h.Trim()).ToList().FindIndex(h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
        problems.Add(new ImportProblem(entry.File, row.Line, index + 1, column, $"'{column}' is empty"));
        return false;
    }
}
