using OrgGraph.Importing.Money;
using OrgGraph.Importing.Official;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Importing;

/// <summary>What an import wrote, and what it noticed on the way.</summary>
public sealed record ImportResult(ImportCounts Counts, ImportReport Report);

/// <summary>
/// The one import users and seeding run. A directory with a <c>manifest.csv</c> holds official files in their
/// published formats (each read by the reader the manifest names, at the date it gives) and, optionally, a
/// <c>curated/</c> directory in the project's CSV format; any other directory is read as the project's CSV
/// format (docs/csv-format.md). Everything is checked first and written in one transaction, or not at all.
/// </summary>
public sealed class GraphImporter(IGraphStore store, CsvImporter csv)
{
    public const string CuratedDirectory = "curated";

    private readonly IReadOnlyList<IOfficialReader> _readers = OfficialReaders.All();

    public async Task<ImportResult> ImportAsync(string directory, CancellationToken cancellationToken)
    {
        var (batch, report) = await ReadAsync(directory, cancellationToken);
        return new ImportResult(await store.UpsertAsync(batch, cancellationToken), report);
    }

    public async Task<(GraphBatch Batch, ImportReport Report)> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(directory, Manifest.FileName)))
        {
            return (await csv.ReadAsync(directory, cancellationToken), new ImportReport());
        }

        var problems = new List<ImportProblem>();
        var formats = _readers.SelectMany(r => r.Formats.Select(f => (Format: f, Reader: r))).ToDictionary(p => p.Format, p => p.Reader, StringComparer.Ordinal);
        var entries = Manifest.Read(directory, formats.Keys.ToHashSet(), problems);
        if (problems.Count > 0)
        {
            throw new ImportException(problems);
        }

        var observations = new Observations();
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            formats[entry.Format].Read(entry, Path.Combine(directory, entry.File), observations, problems);
        }

        foreach (var reader in _readers.OfType<IDeferredReader>())
        {
            reader.Complete(observations);
        }

        if (problems.Count > 0)
        {
            throw new ImportException(problems.Take(CsvImporter.MaxProblems).ToList());
        }

        var official = observations.Build();
        official = official with { Relationships = [.. official.Relationships, .. MergerDeriver.Derive(observations, official)] };
        var curatedDirectory = Path.Combine(directory, CuratedDirectory);
        var combined = Directory.Exists(curatedDirectory)
            ? Combine(official, await csv.ReadAsync(curatedDirectory, cancellationToken, alongside: official))
            : official;
        // Suppliers are matched against every organisation the import describes, curated ones included, and against
        // what the store already holds: next month's spend file alone names a body and suppliers imported before.
        var money = observations.Money;
        var stored = money.Payments.Count == 0 && money.AwardSuppliers.Count == 0 ? StoredOrganisations.None : await StoredAsync(cancellationToken);
        var resolved = SupplierResolver.Resolve(OwnershipSupersession.Apply(combined, observations.Report), money, stored, observations.Report);
        resolved = await WithStoredLinesAsync(resolved, observations.Report, cancellationToken);
        return (await DropDanglingAsync(resolved, observations.Report, cancellationToken), observations.Report);
    }

    /// <summary>
    /// A PAID relationship totals a body's payments to a supplier in a month. Where the store already holds lines of
    /// that month from a source this import does not replace (a second file for a month), the month's PAID is made from
    /// those lines and the new ones together, so writing it does not drop the earlier file's money. (A store that keeps
    /// no lines, Neo4j, cannot: the month's PAID then holds the new file's lines, and the report says which.)
    /// </summary>
    private async Task<GraphBatch> WithStoredLinesAsync(GraphBatch batch, ImportReport report, CancellationToken cancellationToken)
    {
        if (batch.Payments.Count == 0)
        {
            return batch;
        }

        var sources = batch.Payments.Select(p => p.SourceId).ToHashSet(StringComparer.Ordinal);
        var bodies = batch.Payments.Select(p => p.BodyId).Distinct(StringComparer.Ordinal).ToList();
        var stored = await store.GetRelationshipsAsync(bodies, new RelationshipFilter { Types = [RelationshipType.Paid], Direction = Direction.Outgoing }, cancellationToken);
        var shared = stored.Values.SelectMany(r => r).Where(r => r.SourceIds.Any(s => !sources.Contains(s))).Select(r => (r.From, r.To, r.ValidFrom)).ToHashSet();
        var merged = batch.Relationships.Where(r => r.Type == RelationshipType.Paid && shared.Contains((r.From, r.To, r.ValidFrom))).ToList();
        if (merged.Count == 0)
        {
            return batch;
        }

        var lines = new List<PaymentLine>();
        try
        {
            await AddStoredLinesAsync(merged, batch.Payments, sources, lines, cancellationToken);
        }
        catch (NotSupportedException)
        {
            report.Note($"spend: {merged.Count} PAID month(s) that earlier sources also cover hold only this import's lines (the store keeps no payment lines)");
            return batch;
        }

        return batch with { Relationships = [.. batch.Relationships.Except(merged), .. SupplierResolver.PaidRelationships(lines)] };
    }

    private async Task AddStoredLinesAsync(List<Relationship> merged, IReadOnlyList<PaymentLine> payments, HashSet<string> sources, List<PaymentLine> lines, CancellationToken cancellationToken)
    {
        var months = payments.ToLookup(p => (p.BodyId, p.SupplierId, new DateOnly(p.Date.Year, p.Date.Month, 1)));
        foreach (var paid in merged)
        {
            lines.AddRange(months[(paid.From, paid.To, paid.ValidFrom!.Value)]);
            var query = new PaymentQuery { From = paid.From, To = paid.To, Start = paid.ValidFrom, End = paid.ValidTo, First = 10_000 };
            for (PaymentPage? page = null; page is null || page.HasNextPage;)
            {
                page = await store.PaymentsAsync(query, cancellationToken);
                lines.AddRange(page.Lines.Where(l => !sources.Contains(l.SourceId)));
                query = query with { After = page.Lines.Count == 0 ? null : new PaymentCursor(page.Lines[^1].Date, page.Lines[^1].SourceId, page.Lines[^1].Line) };
            }
        }
    }

    /// <summary>Every organisation in the store, and the company evidence earlier imports brought.</summary>
    private async Task<StoredOrganisations> StoredAsync(CancellationToken cancellationToken)
    {
        var nodes = new List<Node>();
        await foreach (var page in store.NodePagesAsync(new NodeQuery { First = 10_000 }, cancellationToken))
        {
            nodes.AddRange(page);
        }

        return new StoredOrganisations(nodes, await store.CompanyEvidenceAsync(cancellationToken));
    }

    /// <summary>
    /// A relationship an official file states about an organisation neither the files nor the store describe (an
    /// IAPT provider no source classifies) cannot be kept; each is reported rather than failing the whole import.
    /// </summary>
    private async Task<GraphBatch> DropDanglingAsync(GraphBatch batch, ImportReport report, CancellationToken cancellationToken)
    {
        var ids = batch.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var elsewhere = batch.Relationships.SelectMany(r => new[] { r.From, r.To }).Where(id => !ids.Contains(id)).ToHashSet(StringComparer.Ordinal);
        if (elsewhere.Count > 0)
        {
            ids.UnionWith((await store.GetNodesAsync(elsewhere, cancellationToken)).Keys);
        }

        var dangling = batch.Relationships.Where(r => !ids.Contains(r.From) || !ids.Contains(r.To)).ToList();
        foreach (var group in dangling.GroupBy(r => ids.Contains(r.From) ? r.To : r.From).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            report.Note($"'{group.Key}' is named by {group.Count()} {EnumNames.ToWire(group.First().Type)} relationship(s) (e.g. from {group.First().SourceIds.FirstOrDefault()}) but no file or curated row describes it; left out");
        }

        return dangling.Count == 0 ? batch : batch with { Relationships = batch.Relationships.Except(dangling).ToList() };
    }

    /// <summary>Curated rows come second, so a curated fact refines an official one with the same key.</summary>
    private static GraphBatch Combine(GraphBatch official, GraphBatch curated)
    {
        var curatedIds = curated.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        return new GraphBatch
        {
            Sources = [.. official.Sources, .. curated.Sources],
            Nodes = [.. official.Nodes.Where(n => !curatedIds.Contains(n.Id)), .. curated.Nodes],
            NodeFacts = [.. official.NodeFacts, .. curated.NodeFacts],
            Relationships = [.. official.Relationships, .. curated.Relationships],
        };
    }
}
