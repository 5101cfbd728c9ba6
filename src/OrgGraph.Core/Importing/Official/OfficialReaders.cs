namespace OrgGraph.Importing.Official;

/// <summary>A reader that finishes its work once every file has been read (e.g. matching names across files).</summary>
internal interface IDeferredReader
{
    void Complete(Observations observations);
}

internal static class OfficialReaders
{
    /// <summary>One instance of each reader per import (deferred readers keep state between files).</summary>
    public static IReadOnlyList<IOfficialReader> All() =>
    [
        new OnsLookupReader(), new OdsReader(), new GpPracticeMapReader(),
        new IcbPartnersReader(), new CsuListReader(), new IaptPairsReader(),
        new Money.SpendReader(), new Money.SupplierCompaniesReader(), new Money.BodsReader(), new Money.OcdsReader(), new Money.NhsChoicesReader(),
    ];
}
