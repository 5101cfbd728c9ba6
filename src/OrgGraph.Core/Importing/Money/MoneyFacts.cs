using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// What the store holds before an import: its organisations, and the company numbers earlier imports tied supplier
/// names to (normalised name → company).
/// </summary>
internal sealed record StoredOrganisations(IReadOnlyList<Node> Nodes, IReadOnlyDictionary<string, KnownCompany> Evidence)
{
    public static readonly StoredOrganisations None = new([], new Dictionary<string, KnownCompany>());
}

/// <summary>
/// An award supplier the notice gives no company or CQC identifier for: <see cref="Award"/> (contract → supplier) gets its
/// <c>To</c> when the supplier name is matched, as spend suppliers are.
/// </summary>
internal sealed record AwardSupplier(string Supplier, string SourceId, Relationship Award);

/// <summary>What the money files say, gathered while reading and resolved once every file is read.</summary>
public sealed class MoneyFacts
{
    /// <summary>Payment lines as read; <see cref="PaymentLine.SupplierId"/> is empty until suppliers are resolved.</summary>
    internal List<PaymentLine> Payments { get; } = [];

    /// <summary>Award suppliers to be matched by name with the spend suppliers.</summary>
    internal List<AwardSupplier> AwardSuppliers { get; } = [];

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>
    /// One instance of each repeated text (suppliers, expense types): 370,000 lines repeat a few thousand values, and
    /// fewer live strings keep the garbage collector's work on the whole import small.
    /// </summary>
    internal string? Shared(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!_strings.TryGetValue(text, out var shared))
        {
            _strings[text] = shared = text;
        }

        return shared;
    }

    private readonly Dictionary<string, string> _displayNames = new(StringComparer.Ordinal);

    /// <summary>A supplier as published, tidied for display (<see cref="SupplierNames.Display"/>) once per spelling and shared.</summary>
    internal string DisplayName(string published)
    {
        if (!_displayNames.TryGetValue(published, out var display))
        {
            _displayNames[published] = display = Shared(SupplierNames.Display(published))!;
        }

        return display;
    }

    /// <summary>Normalised supplier key → the company a reconciliation table, an award or an ownership statement gives for it.</summary>
    internal Dictionary<string, KnownCompany> Companies { get; } = new(StringComparer.Ordinal);

    private readonly HashSet<string> _conflicts = new(StringComparer.Ordinal);

    /// <summary>Whether two of this import's sources tie the name to different companies (then no evidence counts for it).</summary>
    internal bool Disputed(string key) => _conflicts.Contains(key);

    /// <summary>
    /// Records that a spelling names a registered company. A spelling two sources tie to different companies is
    /// reported and not used at all (a company number is only evidence when the sources agree).
    /// </summary>
    internal void KnowCompany(string spelling, KnownCompany company, Official.ImportReport report)
    {
        var key = SupplierNames.Key(spelling);
        if (_conflicts.Contains(key))
        {
            return;
        }

        if (Companies.TryGetValue(key, out var existing) && existing.Number != company.Number)
        {
            _conflicts.Add(key);
            Companies.Remove(key);
            report.Note($"'{spelling}' is tied to company {existing.Number} ({existing.File}:{existing.Line}) and to {company.Number} ({company.File}:{company.Line}); neither is used to match suppliers");
            return;
        }

        Companies.TryAdd(key, company);
    }
}
