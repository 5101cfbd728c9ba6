using System.Globalization;
using Microsoft.VisualBasic.FileIO;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// Reads a spend file copied into seed/money with the framework's own CSV parser (not the importer's), so tests compute
/// expected totals independently of the code under test.
/// </summary>
public static class SpendFile
{
    public sealed record Row(int Line, Dictionary<string, string> Fields);

    public static string PathOf(string relative) => Path.Combine(Repo.Seed, "money", relative);

    public static List<Row> Read(string relative)
    {
        using var parser = new TextFieldParser(PathOf(relative), System.Text.Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!.Select(h => h.Trim()).ToArray();
        var rows = new List<Row>();
        while (!parser.EndOfData)
        {
            var line = (int)parser.LineNumber;
            var fields = parser.ReadFields()!;
            rows.Add(new Row(line, header.Select((h, i) => (h, v: i < fields.Length ? fields[i] : "")).GroupBy(p => p.h).ToDictionary(g => g.Key, g => g.First().v)));
        }

        return rows;
    }

    /// <summary>
    /// The node ids of the entities a BODS file says own the company on <paramref name="date"/> (statements between two
    /// entities whose interests started by then), read straight from the JSON.
    /// </summary>
    public static List<string> BodsOwners(string companyNumber, DateOnly date)
    {
        using var file = System.Text.Json.JsonDocument.Parse(File.ReadAllText(PathOf($"companies/GB-COH_{companyNumber}_bods.json")));
        var statements = file.RootElement.EnumerateArray().ToList();
        string? Number(string statementId) => statements.Where(s => s.GetProperty("statementID").GetString() == statementId)
            .SelectMany(s => s.GetProperty("identifiers").EnumerateArray())
            .Where(i => i.TryGetProperty("scheme", out var scheme) && scheme.GetString() == "GB-COH")
            .Select(i => i.GetProperty("id").GetString()!.ToUpperInvariant()).FirstOrDefault();
        return statements
            .Where(s => s.GetProperty("statementType").GetString() == "ownershipOrControlStatement" &&
                s.GetProperty("interestedParty").TryGetProperty("describedByEntityStatement", out _) &&
                s.GetProperty("interests").EnumerateArray().Any(i => DateOnly.Parse(i.GetProperty("startDate").GetString()!, CultureInfo.InvariantCulture) <= date))
            .Select(s => "CH:" + Number(s.GetProperty("interestedParty").GetProperty("describedByEntityStatement").GetString()!))
            .Distinct().ToList();
    }

    /// <summary>The start of <paramref name="owner"/>'s ownership of <paramref name="company"/>, as the curated relationships give it.</summary>
    public static DateOnly CuratedOwnershipStart(string company, string owner)
    {
        var row = File.ReadLines(Path.Combine(Repo.Seed, "curated", "relationships.csv")).Single(l => l.StartsWith($"OWNED_BY,{company},{owner},", StringComparison.Ordinal));
        return DateOnly.ParseExact(row.Split(',')[3], "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Pounds to pence, exactly.</summary>
    public static long Pence(string amount) => (long)(decimal.Parse(amount.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture) * 100);
}
