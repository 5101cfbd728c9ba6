using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// The NHSSpend reconciliation of supplier names to Companies House (<c>supplier_company_final.csv</c>):
/// <c>query_string_n</c> (a supplier spelling), <c>CompanyNumber</c>, <c>CompanyName</c>, <c>isCIC</c>. Every row is a
/// manually audited match. Its <c>count</c> and <c>amount</c> are the matched company's totals repeated on each alias
/// row, so they are not read. A spelling the table ties to two different companies is reported and not used.
/// </summary>
internal sealed class SupplierCompaniesReader : IOfficialReader
{
    public const string Format = "supplier-companies";

    private const string SupplierColumn = "query_string_n";
    private const string NumberColumn = "CompanyNumber";
    private const string NameColumn = "CompanyName";
    private const string CicColumn = "isCIC";

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (HeadedFile.Load(entry, path, problems) is not { } file || !file.Require(entry, problems, SupplierColumn, NumberColumn, NameColumn))
        {
            return;
        }

        observations.Cite(entry);
        foreach (var row in file.Rows)
        {
            if (!OfficialFields.TryRequired(file, entry, row, SupplierColumn, problems, out var supplier) |
                !OfficialFields.TryRequired(file, entry, row, NumberColumn, problems, out var number) |
                !OfficialFields.TryRequired(file, entry, row, NameColumn, problems, out var name))
            {
                continue;
            }

            observations.Money.KnowCompany(supplier, new KnownCompany(CompanyNumbers.Normalise(number), name,
                file.Get(row, CicColumn) is { } cic && !cic.StartsWith('0'), entry.Source.Id, entry.File, row.Line), observations.Report);
        }
    }
}

/// <summary>Companies House numbers as 8 characters: sources drop leading zeros (<c>758153</c> for <c>00758153</c>).</summary>
internal static class CompanyNumbers
{
    public static string Normalise(string number)
    {
        var n = number.Trim().ToUpperInvariant();
        return n.Length < 8 && n.All(char.IsDigit) ? n.PadLeft(8, '0') : n;
    }

    public static string NodeId(string number) => "CH:" + Normalise(number);

    /// <summary>Eight digits, or two letters and six digits (SC, NI, OC ...), once leading zeros are restored; a stray "6" is not a number.</summary>
    public static bool IsValid(string number)
    {
        var n = Normalise(number);
        return n.Length == 8 && (n.All(char.IsDigit) || (char.IsLetter(n[0]) && char.IsLetter(n[1]) && n[2..].All(char.IsDigit))) && n.Any(c => c is not '0' and >= '0' and <= '9');
    }
}
