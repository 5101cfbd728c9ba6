using System.Text;
using System.Text.Json.Nodes;
using OrgGraph.Importing;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Api.Writes;

/// <summary>
/// Every write the API makes: input checked first, then one store transaction holding the write and its audit
/// record (<see cref="Change"/>: the key id, the time from <see cref="TimeProvider"/>, the sources, the records
/// before and after). Nothing is deleted: retiring sets <c>validTo</c>, and an upsert's previous values stay in the
/// audit trail. Each write reads what it replaces inside its own write transaction (<see cref="IGraphStore.InWriteTransactionAsync"/>),
/// so its "before" is exactly the previous write's "after", whatever other writers (another instance, the import command) do.
/// </summary>
internal sealed class GraphWriter(IGraphStore store, CsvImporter importer, TimeProvider time, ILogger<GraphWriter> logger)
{
    /// <summary>Largest total size, in characters, of the files of one CSV upload.</summary>
    public const int MaxUploadCharacters = 10_000_000;

    /// <summary>The files of the project's CSV format (docs/csv-format.md); nothing else may be uploaded.</summary>
    public static readonly IReadOnlyList<string> CsvFileNames = ["sources.csv", "nodes.csv", "names.csv", "roles.csv", "aliases.csv", "relationships.csv"];

    public async Task<Node> UpsertOrganisationAsync(Writer writer, OrganisationInput input, CancellationToken cancellationToken)
    {
        var id = WriteValidation.Id(input.Id, "input.id");
        var name = WriteValidation.Text(input.Name, "input.name", WriteValidation.MaxNameLength);
        WriteValidation.Period(input.ValidFrom, input.ValidTo, "input.validTo");
        var urls = WriteValidation.SourceUrls(input.SourceUrls, "input.sourceUrls");
        var properties = WriteValidation.Properties(input.Properties, "input.properties");

        return await ExclusiveAsync(async () =>
        {
            var before = await NodeAsync(id, cancellationToken);
            var (sources, sourceIds) = await SourcesForAsync(urls, cancellationToken);
            var node = new Node
            {
                Id = id,
                Name = name,
                Kind = input.Kind,
                Sector = input.Sector,
                ValidFrom = input.ValidFrom,
                ValidTo = input.ValidTo,
                Confidence = input.Confidence ?? before?.Confidence ?? Confidence.Official,
                SourceIds = Union(before?.SourceIds, sourceIds),
                Properties = properties ?? before?.Properties ?? "{}",
                Names = before?.Names ?? [],
                Roles = before?.Roles ?? [],
                Aliases = before?.Aliases ?? [],
            };
            await WriteAsync(writer, ChangeAction.UpsertOrganisation, id, new GraphBatch { Sources = sources, Nodes = [node] },
                [id], sourceIds, before is null ? null : Snapshots.Of(before), Snapshots.Of(node), cancellationToken);
            return await NodeAsync(id, cancellationToken) ?? node;
        }, cancellationToken);
    }

    public async Task<Node> RetireOrganisationAsync(Writer writer, string idArgument, DateOnly validTo, IReadOnlyList<string> sourceUrls, CancellationToken cancellationToken)
    {
        var id = WriteValidation.Id(idArgument, "id");
        var urls = WriteValidation.SourceUrls(sourceUrls, "sourceUrls");

        return await ExclusiveAsync(async () =>
        {
            var before = await NodeAsync(id, cancellationToken) ?? throw WriteInputError.NotFound("id", $"no organisation has the id '{id}'.");
            WriteValidation.Period(before.ValidFrom, validTo, "validTo");
            var (sources, sourceIds) = await SourcesForAsync(urls, cancellationToken);
            var node = before with { ValidTo = validTo, SourceIds = Union(before.SourceIds, sourceIds) };
            // Its relationships still open after its last day end with it (those starting later are left as they are).
            var touching = (await store.GetRelationshipsAsync([id], new RelationshipFilter(), cancellationToken)).GetValueOrDefault(id) ?? [];
            var ended = touching.Where(r => (r.ValidTo is null || r.ValidTo > validTo) && (r.ValidFrom is null || r.ValidFrom <= validTo))
                .Select(r => (Before: r, After: r with { ValidTo = validTo, SourceIds = Union(r.SourceIds, sourceIds) })).ToList();
            await WriteAsync(writer, ChangeAction.RetireOrganisation, id, new GraphBatch { Sources = sources, Nodes = [node], Relationships = [.. ended.Select(e => e.After)] },
                [id], sourceIds, Snapshots.Of(before), Snapshots.Of(node), cancellationToken,
                [.. ended.Select(e => new Audited(ChangeAction.RetireRelationship, Describe(e.After), [e.After.From, e.After.To], Snapshots.Of(e.Before), Snapshots.Of(e.After)))]);
            return await NodeAsync(id, cancellationToken) ?? node;
        }, cancellationToken);
    }

    public async Task<Relationship> UpsertRelationshipAsync(Writer writer, RelationshipInput input, CancellationToken cancellationToken)
    {
        var (from, to) = Ends(input.From, input.To, "input.");
        WriteValidation.Period(input.ValidFrom, input.ValidTo, "input.validTo");
        var urls = WriteValidation.SourceUrls(input.SourceUrls, "input.sourceUrls");
        var properties = WriteValidation.Properties(input.Properties, "input.properties");

        return await ExclusiveAsync(async () =>
        {
            await RequireNodesAsync(from, to, "input.", cancellationToken);
            var before = await RelationshipAsync(input.Type, from, to, input.ValidFrom, cancellationToken);
            var (sources, sourceIds) = await SourcesForAsync(urls, cancellationToken);
            var relationship = new Relationship
            {
                Type = input.Type,
                From = from,
                To = to,
                ValidFrom = input.ValidFrom,
                ValidTo = input.ValidTo,
                Confidence = input.Confidence ?? before?.Confidence ?? Confidence.Official,
                SourceIds = Union(before?.SourceIds, sourceIds),
                Properties = properties ?? before?.Properties ?? "{}",
            };
            await WriteAsync(writer, ChangeAction.UpsertRelationship, Describe(relationship), new GraphBatch { Sources = sources, Relationships = [relationship] },
                [from, to], sourceIds, before is null ? null : Snapshots.Of(before), Snapshots.Of(relationship), cancellationToken);
            return await RelationshipAsync(input.Type, from, to, input.ValidFrom, cancellationToken) ?? relationship;
        }, cancellationToken);
    }

    public async Task<Relationship> RetireRelationshipAsync(Writer writer, RetireRelationshipInput input, CancellationToken cancellationToken)
    {
        var (from, to) = Ends(input.From, input.To, "");
        WriteValidation.Period(input.ValidFrom, input.ValidTo, "validTo");
        var urls = WriteValidation.SourceUrls(input.SourceUrls, "sourceUrls");

        return await ExclusiveAsync(async () =>
        {
            var before = await RelationshipAsync(input.Type, from, to, input.ValidFrom, cancellationToken) ?? throw WriteInputError.NotFound("validFrom",
                $"there is no {EnumNames.ToWire(input.Type)} relationship from '{from}' to '{to}' starting {(input.ValidFrom is { } f ? $"on {f:yyyy-MM-dd}" : "with an open start")}.");
            var (sources, sourceIds) = await SourcesForAsync(urls, cancellationToken);
            var relationship = before with { ValidTo = input.ValidTo, SourceIds = Union(before.SourceIds, sourceIds) };
            await WriteAsync(writer, ChangeAction.RetireRelationship, Describe(relationship), new GraphBatch { Sources = sources, Relationships = [relationship] },
                [from, to], sourceIds, Snapshots.Of(before), Snapshots.Of(relationship), cancellationToken);
            return await RelationshipAsync(input.Type, from, to, input.ValidFrom, cancellationToken) ?? relationship;
        }, cancellationToken);
    }

    public async Task<Source> UpsertSourceAsync(Writer writer, SourceInput input, CancellationToken cancellationToken)
    {
        var url = string.IsNullOrWhiteSpace(input.Url) ? null : WriteValidation.Url(input.Url, "input.url");
        var id = !string.IsNullOrWhiteSpace(input.Id) ? WriteValidation.Id(input.Id, "input.id")
            : url is not null ? WriteValidation.SourceIdOf(url)
            : throw WriteInputError.Invalid("input.id", "or input.url must be given: a source needs an id, or a URL to derive one from.");
        var source = new Source
        {
            Id = id,
            Title = WriteValidation.Text(input.Title, "input.title", WriteValidation.MaxTextLength),
            Publisher = WriteValidation.OptionalText(input.Publisher, "input.publisher", WriteValidation.MaxNameLength),
            Url = url,
            Published = input.Published,
            Retrieved = input.Retrieved,
            Licence = WriteValidation.OptionalText(input.Licence, "input.licence", WriteValidation.MaxIdLength),
        };

        return await ExclusiveAsync(async () =>
        {
            var before = (await store.GetSourcesAsync([id], cancellationToken)).GetValueOrDefault(id);
            await WriteAsync(writer, ChangeAction.UpsertSource, id, new GraphBatch { Sources = [source] },
                [], [id], before is null ? null : Snapshots.Of(before), Snapshots.Of(source), cancellationToken);
            return (await store.GetSourcesAsync([id], cancellationToken)).GetValueOrDefault(id) ?? source;
        }, cancellationToken);
    }

    /// <summary>
    /// Imports an upload in the project's CSV format with <see cref="CsvImporter"/>: the files go to a fresh temporary
    /// directory, are read and checked as a whole, and are written in one transaction with the audit record — or, when
    /// any problem is found, nothing is written and the problems come back with file, line and column.
    /// </summary>
    public async Task<CsvImportResult> ImportCsvAsync(Writer writer, IReadOnlyList<CsvFileInput> files, CancellationToken cancellationToken)
    {
        CheckUpload(files);
        var directory = Directory.CreateTempSubdirectory("orggraph-upload-");
        try
        {
            foreach (var file in files)
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, file.Name), file.Content, new UTF8Encoding(false), cancellationToken);
            }

            return await ExclusiveAsync(async () =>
            {
                GraphBatch batch;
                try
                {
                    batch = await importer.ReadAsync(directory.FullName, cancellationToken);
                }
                catch (ImportException e)
                {
                    logger.LogInformation("CSV upload by key {KeyId} refused with {Problems} problem(s); nothing written", writer.KeyId, e.Problems.Count);
                    return new CsvImportResult(false, new ImportCounts(0, 0, 0, 0), [.. e.Problems.Select(p => Hide(p, directory.FullName))], null);
                }

                var before = await ReplacedAsync(batch, cancellationToken);
                var nodeIds = batch.Nodes.Select(n => n.Id).Concat(batch.NodeFacts.Select(f => f.NodeId)).Concat(batch.Relationships.SelectMany(r => new[] { r.From, r.To }));
                var sourceIds = batch.Sources.Select(s => s.Id).Concat(batch.Nodes.SelectMany(n => n.SourceIds))
                    .Concat(batch.NodeFacts.SelectMany(f => f.Value.SourceIds)).Concat(batch.Relationships.SelectMany(r => r.SourceIds));
                var subject = $"{string.Join(", ", files.Select(f => f.Name))}: {batch.Sources.Count} sources, {batch.Nodes.Count} organisations, " +
                    $"{batch.NodeFacts.Count} names/roles/aliases, {batch.Relationships.Count} relationships";
                var change = await WriteAsync(writer, ChangeAction.ImportCsv, subject, batch, nodeIds, sourceIds, before,
                    Snapshots.Batch(batch.Sources, batch.Nodes, batch.NodeFacts, batch.Relationships), cancellationToken);
                return new CsvImportResult(true, new ImportCounts(batch.Sources.Count, batch.Nodes.Count, batch.NodeFacts.Count, batch.Relationships.Count), [], change.Id);
            }, cancellationToken);
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not delete the upload directory {Directory}", directory.FullName);
            }
        }
    }

    private static void CheckUpload(IReadOnlyList<CsvFileInput> files)
    {
        if (files.Count == 0)
        {
            throw WriteInputError.Invalid("files", "must hold at least sources.csv and nodes.csv.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < files.Count; i++)
        {
            if (!CsvFileNames.Contains(files[i].Name, StringComparer.Ordinal))
            {
                throw WriteInputError.Invalid($"files[{i}].name", $"must be one of {string.Join(", ", CsvFileNames)} (docs/csv-format.md).");
            }

            if (!names.Add(files[i].Name))
            {
                throw WriteInputError.Invalid($"files[{i}].name", $"'{files[i].Name}' is given twice.");
            }
        }

        var total = files.Sum(f => (long)f.Content.Length);
        if (total > MaxUploadCharacters)
        {
            throw WriteInputError.Limit("files", $"hold {total} characters; the limit is {MaxUploadCharacters}.");
        }
    }

    /// <summary>A problem as the client sees it: the server's temporary directory is not named.</summary>
    private static ImportProblem Hide(ImportProblem problem, string directory) => problem with
    {
        File = problem.File == directory ? "upload" : problem.File,
        Reason = problem.Reason.Replace(directory, "the upload", StringComparison.Ordinal),
    };

    /// <summary>The records an import would replace (existing sources, organisations with their facts, relationships), or null if none.</summary>
    private async Task<JsonObject?> ReplacedAsync(GraphBatch batch, CancellationToken cancellationToken)
    {
        var sources = await store.GetSourcesAsync([.. batch.Sources.Select(s => s.Id)], cancellationToken);
        var nodes = await store.GetNodesAsync([.. batch.Nodes.Select(n => n.Id).Concat(batch.NodeFacts.Select(f => f.NodeId)).Distinct(StringComparer.Ordinal)], cancellationToken);
        var keys = batch.Relationships.Select(r => (r.Type, r.From, r.To, r.ValidFrom)).ToHashSet();
        var relationships = keys.Count == 0 ? [] : (await store.GetRelationshipsAsync(
                [.. keys.Select(k => k.From).Distinct(StringComparer.Ordinal)],
                new RelationshipFilter { Types = [.. keys.Select(k => k.Type).Distinct()], Direction = Direction.Outgoing }, cancellationToken))
            .Values.SelectMany(list => list).Where(r => keys.Contains((r.Type, r.From, r.To, r.ValidFrom))).ToList();
        return sources.Count + nodes.Count + relationships.Count == 0
            ? null
            : Snapshots.Batch(sources.Values, nodes.Values, [], relationships);
    }

    private static (string From, string To) Ends(string fromArgument, string toArgument, string prefix)
    {
        var from = WriteValidation.Id(fromArgument, prefix + "from");
        var to = WriteValidation.Id(toArgument, prefix + "to");
        return from == to ? throw WriteInputError.Invalid(prefix + "to", "must differ from 'from': a relationship cannot go from an organisation to itself.") : (from, to);
    }

    private async Task RequireNodesAsync(string from, string to, string prefix, CancellationToken cancellationToken)
    {
        var found = await store.GetNodesAsync([from, to], cancellationToken);
        if (!found.ContainsKey(from))
        {
            throw WriteInputError.NotFound(prefix + "from", $"no organisation has the id '{from}'.");
        }

        if (!found.ContainsKey(to))
        {
            throw WriteInputError.NotFound(prefix + "to", $"no organisation has the id '{to}'.");
        }
    }

    private async Task<Node?> NodeAsync(string id, CancellationToken cancellationToken) =>
        (await store.GetNodesAsync([id], cancellationToken)).GetValueOrDefault(id);

    /// <summary>The relationship with this identity (type, ends, start date), if the store holds it.</summary>
    private async Task<Relationship?> RelationshipAsync(RelationshipType type, string from, string to, DateOnly? validFrom, CancellationToken cancellationToken)
    {
        var outgoing = await store.GetRelationshipsAsync([from], new RelationshipFilter { Types = [type], Direction = Direction.Outgoing }, cancellationToken);
        return outgoing.GetValueOrDefault(from)?.FirstOrDefault(r => r.To == to && r.ValidFrom == validFrom);
    }

    /// <summary>The source ids of the URLs, and a Source record (titled by its URL) for each URL the store does not hold yet.</summary>
    private async Task<(IReadOnlyList<Source> New, IReadOnlyList<string> Ids)> SourcesForAsync(IReadOnlyList<string> urls, CancellationToken cancellationToken)
    {
        var byId = urls.ToDictionary(WriteValidation.SourceIdOf, url => url, StringComparer.Ordinal);
        var existing = await store.GetSourcesAsync(byId.Keys, cancellationToken);
        var created = byId.Where(p => !existing.ContainsKey(p.Key)).Select(p => new Source { Id = p.Key, Title = p.Value, Url = p.Value }).ToList();
        return (created, [.. byId.Keys]);
    }

    /// <summary>
    /// Writes the batch with its audit record, and one more record for each of <paramref name="alongside"/> (writes the
    /// first one entails, e.g. the relationships a retirement ends), all with the same key, time and sources.
    /// </summary>
    private async Task<Change> WriteAsync(Writer writer, ChangeAction action, string subject, GraphBatch batch, IEnumerable<string> nodeIds,
        IEnumerable<string> sourceIds, JsonNode? before, JsonNode after, CancellationToken cancellationToken, IReadOnlyList<Audited>? alongside = null)
    {
        var at = time.GetUtcNow();
        var sources = sourceIds.Distinct(StringComparer.Ordinal).ToList();
        var changes = new[] { new Audited(action, subject, nodeIds, before, after) }.Concat(alongside ?? []).Select(a => new Change
        {
            Id = Guid.CreateVersion7(at).ToString(),
            At = at,
            KeyId = writer.KeyId,
            Action = a.Action,
            Subject = a.Subject,
            NodeIds = [.. a.NodeIds.Distinct(StringComparer.Ordinal)],
            SourceIds = sources,
            Before = a.Before?.ToJsonString(),
            After = a.After.ToJsonString(),
        }).ToList();
        await store.UpsertAsync(batch with { Changes = changes }, cancellationToken);
        foreach (var change in changes)
        {
            logger.LogInformation("Write {Action} {Subject} by key {KeyId} (change {ChangeId})", EnumNames.ToWire(change.Action), change.Subject, writer.KeyId, change.Id);
        }

        return changes[0];
    }

    /// <summary>One audited write: what was done, to what, and the record before and after.</summary>
    private sealed record Audited(ChangeAction Action, string Subject, IEnumerable<string> NodeIds, JsonNode? Before, JsonNode After);

    /// <summary>The write's reads and its store write as one transaction; refused with STORE_BUSY when another process holds the store too long.</summary>
    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await store.InWriteTransactionAsync(write, cancellationToken);
        }
        catch (StoreBusyException e)
        {
            logger.LogWarning("Write refused, the store is busy: {Reason}", e.Message);
            throw StoreBusyError.Instance();
        }
    }

    private static IReadOnlyList<string> Union(IReadOnlyList<string>? existing, IReadOnlyList<string> added) =>
        [.. (existing ?? []).Concat(added).Distinct(StringComparer.Ordinal)];

    private static string Describe(Relationship r) =>
        $"{EnumNames.ToWire(r.Type)} {r.From} -> {r.To} from {(r.ValidFrom is { } f ? f.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "an open start")}";
}
