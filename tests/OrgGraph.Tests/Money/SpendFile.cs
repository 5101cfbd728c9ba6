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

    /// <summary>Pounds to pence, exactly.</summary>
    public static long Pence(string amount) => (long)(decimal.Parse(amount.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture) * 100);
}
