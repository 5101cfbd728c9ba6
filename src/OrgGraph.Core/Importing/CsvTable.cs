using System.Globalization;
using System.Text.Json;
using OrgGraph.Model;

namespace OrgGraph.Importing;

/// <summary>
/// A CSV file with a header, read against a declared set of columns. Values are read through typed
/// accessors that record a located <see cref="ImportProblem"/> instead of throwing, so one pass
/// reports every bad value.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;
    private readonly List<ImportProblem> _problems;

    private CsvTable(string file, Dictionary<string, int> columns, IReadOnlyList<CsvRecord> rows, List<ImportProblem> problems)
    {
        File = file;
        _columns = columns;
        Rows = rows;
        _problems = problems;
    }

    public string File { get; }
    public IReadOnlyList<CsvRecord> Rows { get; }

    /// <summary>Reads <paramref name="path"/>; returns null (with problems recorded) when the file cannot be used at all.</summary>
    public static CsvTable? Load(string path, IReadOnlyCollection<string> required, IReadOnlyCollection<string> optional, List<ImportProblem> problems)
    {
        var file = Path.GetFileName(path);
        List<CsvRecord> records;
        try
        {
            using var stream = System.IO.File.OpenRead(path);
            records = CsvReader.Read(stream, file).ToList();
        }
        catch (CsvFormatException e)
        {
            problems.Add(new ImportProblem(file, e.Line, e.Column, null, e.Reason));
            return null;
        }

        if (records.Count == 0)
        {
            problems.Add(new ImportProblem(file, 1, 1, null, "the file is empty; a header row is required"));
            return null;
        }

        var header = records[0];
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var before = problems.Count;
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (!required.Contains(name) && !optional.Contains(name))
            {
                problems.Add(new ImportProblem(file, 1, i + 1, name, $"unknown column '{name}' (expected {string.Join(", ", required.Concat(optional))})"));
            }
            else if (!columns.TryAdd(name, i))
            {
                problems.Add(new ImportProblem(file, 1, i + 1, name, $"column '{name}' appears twice"));
            }
        }

        foreach (var name in required.Where(r => !columns.ContainsKey(r)))
        {
            problems.Add(new ImportProblem(file, 1, 1, name, $"required column '{name}' is missing"));
        }

        if (problems.Count > before)
        {
            return null;
        }

        var rows = records.Skip(1).ToList();
        foreach (var row in rows.Where(r => r.Fields.Count != header.Fields.Count))
        {
            problems.Add(new ImportProblem(file, row.Line, Math.Min(row.Fields.Count, header.Fields.Count) + 1, null,
                $"the row has {row.Fields.Count} fields but the header has {header.Fields.Count}"));
        }

        return new CsvTable(file, columns, rows.Where(r => r.Fields.Count == header.Fields.Count).ToList(), problems);
    }

    public string? Text(CsvRecord row, string column)
    {
        if (!_columns.TryGetValue(column, out var i))
        {
            return null;
        }

        var value = row.Fields[i].Trim();
        return value.Length == 0 ? null : value;
    }

    public string RequiredText(CsvRecord row, string column)
    {
        var value = Text(row, column);
        if (value is null)
        {
            Problem(row, column, "a value is required");
            return "";
        }

        return value;
    }

    /// <summary>A required id or code: no control characters (names and titles may hold quoted newlines).</summary>
    public string Key(CsvRecord row, string column)
    {
        var value = RequiredText(row, column);
        if (value.Any(char.IsControl))
        {
            Problem(row, column, "control characters are not allowed in ids and codes");
        }

        return value;
    }

    public DateOnly? Date(CsvRecord row, string column)
    {
        var text = Text(row, column);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Problem(row, column, $"'{text}' is not a date in the form yyyy-mm-dd");
        return null;
    }

    public (DateOnly? From, DateOnly? To) Period(CsvRecord row)
    {
        var from = Date(row, "valid_from");
        var to = Date(row, "valid_to");
        if (from > to)
        {
            Problem(row, "valid_to", $"valid_to {to:yyyy-MM-dd} is before valid_from {from:yyyy-MM-dd}");
        }

        return (from, to);
    }

    public T Enum<T>(CsvRecord row, string column, T? whenEmpty = null) where T : struct, System.Enum
    {
        var text = Text(row, column);
        if (text is null && whenEmpty is { } fallback)
        {
            return fallback;
        }

        if (EnumNames.TryParse<T>(text, out var value))
        {
            return value;
        }

        Problem(row, column, text is null
            ? $"a value is required (one of {EnumNames.Expected<T>()})"
            : $"'{text}' is not a {typeof(T).Name} (expected one of {EnumNames.Expected<T>()})");
        return default;
    }

    public IReadOnlyList<string> SourceIds(CsvRecord row)
    {
        var ids = (Text(row, "sources") ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            Problem(row, "sources", "at least one source id is required");
        }

        return ids.Distinct(StringComparer.Ordinal).ToArray();
    }

    public string Properties(CsvRecord row)
    {
        var text = Text(row, "properties");
        if (text is null)
        {
            return "{}";
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                Problem(row, "properties", "must be a JSON object, e.g. {\"postcode\":\"NG2 3NG\"}");
                return "{}";
            }

            if (doc.RootElement.EnumerateObject().Any(p => p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array))
            {
                Problem(row, "properties", "property values must be strings, numbers, booleans or null");
            }

            return JsonSerializer.Serialize(doc.RootElement);
        }
        catch (JsonException e)
        {
            Problem(row, "properties", $"not valid JSON: {e.Message}");
            return "{}";
        }
    }

    public void Problem(CsvRecord row, string column, string reason) =>
        _problems.Add(new ImportProblem(File, row.Line, _columns.TryGetValue(column, out var i) ? i + 1 : 1, column, reason));
}
