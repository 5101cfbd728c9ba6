using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>A payment line as read, before its supplier is resolved to a node.</summary>
internal sealed record RawPayment(PaymentLine Line, string Supplier);

/// <summary>A supplier spelling a reconciliation table ties to a registered company.</summary>
internal sealed record KnownCompany(string Number, string Name, bool CommunityInterest, string SourceId, string File, int Line);

/// <summary>What the money files say, gathered while reading and resolved once every file is read.</summary>
public sealed class MoneyFacts
{
    internal List<RawPayment> Payments { get; } = [];

    /// <summary>Normalised supplier key → the company a reconciliation table gives for it.</summary>
    internal Dictionary<string, KnownCompany> Companies { get; } = new(StringComparer.Ordinal);
}
