using OrgGraph.Importing.Official;

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
        var conflicts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            if (!OfficialFields.TryRequired(file, entry, row, SupplierColumn, problems, out var supplier) |
                !OfficialFields.TryRequired(file, entry, row, NumberColumn, problems, out var number) |
                !OfficialFields.TryRequired(file, entry, row, NameColumn, problems, out var name))
            {
                continue;
            }

            var company = new KnownCompany(CompanyNumbers.Normalise(number), name,
                file.Get(row, CicColumn) is { } cic && !cic.StartsWith('0'), entry.Source.Id, entry.File, row.Line);
            var key = SupplierNames.Key(supplier);
            if (observations.Money.Companies.TryGetValue(key, out var existing) && existing.Number != company.Number)
            {
                if (conflicts.Add(key))
                {
                    observations.Report.Note($"{entry.File}:{row.Line}: '{supplier}' is matched to {existing.Number} (line {existing.Line}) and to {company.Number}; neither is used");
                }

                continue;
            }

            observations.Money.Companies.TryAdd(key, company);
        }

        foreach (var key in conflicts)
        {
            observations.Money.Companies.Remove(key);
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
}
