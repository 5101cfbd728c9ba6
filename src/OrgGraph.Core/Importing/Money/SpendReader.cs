using System.Globalization;
using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// Spend transparency files (docs/money.md): the government layout (Department family, Entity, Date of payment,
/// Expense type, Expense area, Supplier, Transaction number, Amount) and the variants these files show: columns
/// in any order, under other names (<c>Amount in Sterling</c>, <c>Payment Date</c>, <c>ICB</c>) or misspelt
/// (<c>expsensearea</c>), dates as dd/mm/yyyy, m/d/yyyy, dd-Mon-yy, dd-MON-yyyy or yyyy-mm-dd hh:mm:ss, and
/// monthly aggregate sheets (ICB, Payment Date, Supplier, Amount). The manifest row names the paying body (or maps
/// the entity column's values to bodies) and the file's granularity. A line whose date, amount or supplier cannot
/// be read is left out and reported with its file, line, column and field; the rest of the file is kept.
/// </summary>
internal sealed class SpendReader : IOfficialReader
{
    public const string Format = "spend";

    private static readonly string[] DateColumns = ["dateofpayment", "paymentdate", "date", "transactiondate"];
    private static readonly string[] SupplierColumns = ["supplier", "suppliername"];
    private static readonly string[] AmountColumns = ["amount", "amountinsterling", "amountgbp", "value"];
    private static readonly string[] ExpenseTypeColumns = ["expensetype", "expensetypoe"];
    private static readonly string[] ExpenseAreaColumns = ["expensearea", "exepnsearea", "expsensearea", "exepensearea", "expsenearea"];
    private static readonly string[] TransactionColumns = ["transactionnumber", "transactionno", "transactionid"];
    private static readonly string[] EntityColumns = ["entity", "icb", "entuty", "organisationname", "body"];
    /// <summary>The name of the monthly file a merged file's line came from; dates are read with that file's convention.</summary>
    private static readonly string[] OriginColumns = ["file"];

    private static readonly string[] UnambiguousDateFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "d-MMM-yy", "d-MMM-yyyy", "d MMM yyyy", "d MMM yy"];

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (!TryBodies(entry, problems, required: true, out var body, out var bodiesByEntity) | !TryGranularity(entry, problems, out var granularity))
        {
            return;
        }

        if (HeadedFile.Load(entry, path, problems) is not { } file)
        {
            return;
        }

        var columns = file.Header.Select(Canonical).ToList();
        int[] Find(string[] names) => [.. names.SelectMany(n => Enumerable.Range(0, columns.Count).Where(i => columns[i] == n))];
        var (date, supplier, amount) = (Find(DateColumns), Find(SupplierColumns), Find(AmountColumns));
        var (expenseType, expenseArea, transaction, entity, origin) =
            (Find(ExpenseTypeColumns), Find(ExpenseAreaColumns), Find(TransactionColumns), Find(EntityColumns), Find(OriginColumns));
        foreach (var (found, name) in new[] { (date, "Date of payment"), (supplier, "Supplier"), (amount, "Amount") })
        {
            if (found.Length == 0)
            {
                problems.Add(new ImportProblem(entry.File, 1, 1, name, $"no '{name}' column (read as spend: {string.Join(", ", file.Header)})"));
            }
        }

        if (bodiesByEntity is not null && entity.Length == 0)
        {
            problems.Add(new ImportProblem(entry.File, 1, 1, "Entity", "the manifest maps entity names to bodies but the file has no Entity (or ICB) column"));
        }

        if (date.Length == 0 || supplier.Length == 0 || amount.Length == 0 || (bodiesByEntity is not null && entity.Length == 0))
        {
            return;
        }

        observations.Cite(entry);
        var dayFirst = DayFirstByOrigin(file.Rows, date[0], origin);
        var rejected = 0;
        // A file repeats few dates over many lines (a month's payments share a handful): each is parsed once.
        var dates = new Dictionary<(string Text, bool DayFirst), DateOnly>();
        foreach (var row in file.Rows)
        {
            void Reject(int[] at, string field, string reason)
            {
                rejected++;
                observations.Report.Note($"{new ImportProblem(entry.File, row.Line, at.Length > 0 ? at[0] + 1 : 1, field, reason)}; line left out");
            }

            var supplierText = First(row, supplier);
            var dateText = First(row, date);
            var amountText = First(row, amount);
            var bodyId = body;
            if (bodiesByEntity is not null && !bodiesByEntity.TryGetValue(First(row, entity) ?? "", out bodyId))
            {
                Reject(entity, "Entity", $"'{First(row, entity)}' is not one of the entities the manifest maps ({string.Join(", ", bodiesByEntity.Keys)})");
                continue;
            }

            if (supplierText is null)
            {
                Reject(supplier, "Supplier", "the supplier is empty");
                continue;
            }

            if (dateText is null)
            {
                Reject(date, "Date of payment", "the date is empty");
                continue;
            }

            var convention = dayFirst.GetValueOrDefault(First(row, origin) ?? "", true);
            if (!dates.TryGetValue((dateText, convention), out var paid))
            {
                if (!TryDate(dateText, convention, out paid, out var why))
                {
                    Reject(date, "Date of payment", why);
                    continue;
                }

                dates[(dateText, convention)] = paid;
            }

            if (amountText is null)
            {
                Reject(amount, "Amount", "the amount is empty");
                continue;
            }

            if (!TryPence(amountText, out var pence))
            {
                Reject(amount, "Amount", $"'{amountText}' is not an amount in pounds with at most two decimals");
                continue;
            }

            var money = observations.Money;
            money.Payments.Add(new PaymentLine
            {
                BodyId = bodyId!,
                SupplierId = "",
                Supplier = money.DisplayName(supplierText),
                Date = paid,
                AmountPence = pence,
                ExpenseType = money.Shared(First(row, expenseType)),
                ExpenseArea = money.Shared(First(row, expenseArea)),
                TransactionNumber = First(row, transaction),
                Granularity = granularity,
                SourceId = entry.Source.Id,
                File = entry.File,
                Line = row.Line,
            });
        }

        if (rejected > 0)
        {
            observations.Report.Note($"{entry.File}: {rejected} of {file.Rows.Count} line(s) left out (reasons above)");
        }
    }

    /// <summary>A header as a key: lower case letters and digits only ("Date of payment" → "dateofpayment").</summary>
    private static string Canonical(string header) => new([.. header.Trim().ToLowerInvariant().Where(char.IsLetterOrDigit)]);

    /// <summary>The first non-empty value among the columns that can hold a field (misspelt duplicates included).</summary>
    private static string? First(CsvRecord row, int[] columns)
    {
        foreach (var i in columns)
        {
            if (i < row.Fields.Count && row.Fields[i].Trim() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether slash dates put the day first, per monthly file of origin (one convention each): a first part over 12
    /// says day first, a second part over 12 says month first; a file that never says is read the UK way (day first).
    /// </summary>
    private static Dictionary<string, bool> DayFirstByOrigin(IEnumerable<CsvRecord> rows, int dateColumn, int[] origin)
    {
        var evidence = new Dictionary<string, (bool Day, bool Month)>(StringComparer.Ordinal);
        var seen = new HashSet<(string Origin, string Date)>();
        foreach (var row in rows)
        {
            var key = First(row, origin) ?? "";
            var text = dateColumn < row.Fields.Count ? row.Fields[dateColumn] : "";
            if (!seen.Add((key, text)))
            {
                continue; // a date already weighed for this file of origin says nothing new
            }

            var parts = text.Trim().Split('/');
            if (parts.Length != 3 || !int.TryParse(parts[0], out var a) || !int.TryParse(parts[1], out var b))
            {
                continue;
            }

            var (day, month) = evidence.GetValueOrDefault(key);
            evidence[key] = (day || a > 12, month || b > 12);
        }

        return evidence.ToDictionary(p => p.Key, p => !(p.Value.Month && !p.Value.Day), StringComparer.Ordinal);
    }

    internal static bool TryDate(string text, bool dayFirst, out DateOnly date, out string why)
    {
        why = "";
        text = text.Trim();
        if (DateTime.TryParseExact(text, UnambiguousDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = DateOnly.FromDateTime(parsed);
            return true;
        }

        var parts = text.Split('/');
        if (parts.Length == 3 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b) && int.TryParse(parts[2], out var y) &&
            parts[2].Length is 2 or 4)
        {
            var year = parts[2].Length == 2 ? 2000 + y : y;
            var (day, month) = a > 12 ? (a, b) : b > 12 ? (b, a) : dayFirst ? (a, b) : (b, a);
            if (month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            {
                date = new DateOnly(year, month, day);
                return true;
            }
        }

        date = default;
        why = $"'{text}' is not a date (expected dd/mm/yyyy, m/d/yyyy, dd-Mon-yy, dd-MON-yyyy or yyyy-mm-dd)";
        return false;
    }

    internal static bool TryPence(string text, out long pence)
    {
        pence = 0;
        var t = text.Trim().Replace("£", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim();
        var negative = t.StartsWith('(') && t.EndsWith(')');
        if (negative)
        {
            t = t[1..^1];
        }

        if (!decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var pounds))
        {
            return false;
        }

        var scaled = pounds * 100;
        if (scaled != decimal.Truncate(scaled))
        {
            return false;
        }

        pence = (long)scaled * (negative ? -1 : 1);
        return true;
    }

    /// <summary>
    /// The manifest's <c>body</c> column: one node id, or <c>name=id</c> pairs separated by <c>;</c> (both null when it is
    /// empty and not <paramref name="required"/>). A malformed pair is a problem at the manifest line.
    /// </summary>
    internal static bool TryBodies(ManifestEntry entry, List<ImportProblem> problems, bool required, out string? body, out Dictionary<string, string>? byEntity)
    {
        (body, byEntity) = (null, null);
        if (string.IsNullOrWhiteSpace(entry.Body))
        {
            if (required)
            {
                problems.Add(new ImportProblem(Manifest.FileName, entry.Line, 1, "body", $"a {entry.Format} file needs the paying body's id in the manifest's 'body' column ({entry.File})"));
            }

            return !required;
        }

        if (!entry.Body.Contains('='))
        {
            body = entry.Body.Trim();
            return true;
        }

        byEntity = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in entry.Body.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.IndexOf('=');
            if (at <= 0 || at == pair.Length - 1)
            {
                problems.Add(new ImportProblem(Manifest.FileName, entry.Line, 1, "body", $"'{pair}' is not entity=id"));
                return false;
            }

            byEntity[pair[..at].Trim()] = pair[(at + 1)..].Trim();
        }

        return true;
    }

    private static bool TryGranularity(ManifestEntry entry, List<ImportProblem> problems, out SpendGranularity granularity)
    {
        if (EnumNames.TryParse(entry.Granularity, out granularity))
        {
            return true;
        }

        problems.Add(new ImportProblem(Manifest.FileName, entry.Line, 1, "granularity",
            $"'{entry.Granularity}' is not a spend granularity (expected one of {EnumNames.Expected<SpendGranularity>()})"));
        return false;
    }
}
