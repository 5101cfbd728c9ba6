using System.Text;
using System.Text.RegularExpressions;

namespace OrgGraph.Importing.Money;

/// <summary>
/// Normalised supplier names, the key supplier matching works on. Spend files write one supplier many ways
/// ("HEALTHCARE AT HOME LTD", "Healthcare at Home Limited", "KINGS COLLEGE LONDON:03529700", "INSPIRE
/// HEALTHCARE (L84010)"), so the key drops case, punctuation, legal-form words, a trailing internal account
/// number and a bracketed practice code.
/// </summary>
internal static partial class SupplierNames
{
    private static readonly HashSet<string> LegalForms = new(StringComparer.Ordinal)
    {
        "LTD", "LIMITED", "PLC", "LLP", "CIC", "INC", "LP", "CO", "COMPANY", "THE", "UK",
    };

    /// <summary>The matching key: upper case, '&amp;' as AND, no punctuation, no legal-form words, single spaces.</summary>
    public static string Key(string name)
    {
        var text = AccountSuffix().Replace(name, "");
        text = PracticeCode().Replace(text, " ");
        var words = Words(text).Where(w => !LegalForms.Contains(w)).ToList();
        return words.Count > 0 ? string.Join(' ', words) : string.Join(' ', Words(text));
    }

    /// <summary>The published spelling tidied for display: single spaces, no line breaks.</summary>
    public static string Display(string name) => string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// True when the name reads as a person's or as a partnership named after people: it starts with a title (DR, MR,
    /// MRS, MS, MISS, PROF, ...) or names partners ("DR X &amp; PARTNERS", "SMITH AND PARTNER") without being a registered
    /// company. DESIGN.md: never make a person record from a spend line, so such payees get no node of their own. A sole
    /// trader under a bare name cannot be told from a company this way (docs/money.md).
    /// </summary>
    public static bool NamesPerson(string name)
    {
        var words = Words(AccountSuffix().Replace(name, "")).ToList();
        if (words.Count == 0)
        {
            return true;
        }

        if (words[0] is "DR" or "DRS" or "MR" or "MRS" or "MS" or "MISS" or "PROF" or "PROFESSOR" or "REV" or "SIR" or "DAME")
        {
            return true;
        }

        return words.Any(w => w is "PARTNERS" or "PARTNER") && !words.Any(w => w is "LTD" or "LIMITED" or "LLP" or "PLC");
    }

    /// <summary>A slug for a node id: the key in lower case with hyphens.</summary>
    public static string Slug(string key) => key.ToLowerInvariant().Replace(' ', '-');

    private static IEnumerable<string> Words(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToUpperInvariant())
        {
            sb.Append(c == '&' ? " AND " : char.IsLetterOrDigit(c) ? c : c is '\'' or '’' ? '\0' : ' ');
        }

        return sb.Replace("\0", "").ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A trust's internal supplier account number after a colon ("BRITISH GAS BUSINESS:70299300").</summary>
    [GeneratedRegex(@":\s*\d+\s*$")]
    private static partial Regex AccountSuffix();

    /// <summary>A bracketed ODS practice code ("INSPIRE HEALTHCARE (L84010)").</summary>
    [GeneratedRegex(@"\(\s*[A-Z]\d{5}\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex PracticeCode();
}
