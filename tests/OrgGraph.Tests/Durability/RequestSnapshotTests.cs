using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Model;
using OrgGraph.Storage;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Durability;

/// <summary>
/// One GraphQL request that makes several store calls sees one state of the graph. The request reads an organisation,
/// then (a child field, so strictly after) its relationships; an import that renames the organisation and adds a
/// relationship to it commits exactly between the two calls. The answer is all from before the import or all from
/// after it, never a mix: the organisation comes from the store's memory (read by the request before), so the request
/// is run again when its relationships call finds the file changed (SqliteGraphStore.ReadCache.cs); read from the file,
/// both fields come from the request's one snapshot. The next request's answer is all from after the import.
/// </summary>
public sealed class RequestSnapshotTests : IAsyncLifetime
{
    private const string Query = """{ organisation(id: "QT1") { name relationships(first: 0) { totalCount } } }""";

    private readonly OrgGraphApp _app = new(("GraphQL:Timeout", "00:01:00"));
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        File.Copy(await SeededApp.TemplateAsync(), _app.DatabasePath);
        _client = await _app.ReadyClientAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Request_ReadingTwoFieldsWhileAnImportCommitsBetweenThem_SeesOneStateOfTheGraph()
    {
        var store = (SqliteGraphStore)_app.Services.GetRequiredService<IGraphStore>();
        var before = await ReadAsync();

        // The import, paused with all its rows written but not committed.
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BeforeCommit = async ct =>
        {
            paused.TrySetResult();
            await release.Task.WaitAsync(ct);
        };
        var import = store.UpsertAsync(await RenameAndLinkAsync(store), CancellationToken.None);
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The request's relationships call waits until the import has committed; its organisation call has already run.
        var gated = 0;
        store.BeforeCall = async (caller, _) =>
        {
            if (caller == nameof(IGraphStore.GetRelationshipsAsync) && Interlocked.Exchange(ref gated, 1) == 0)
            {
                release.SetResult();
                await import;
            }
        };
        var during = await ReadAsync();
        store.BeforeCall = (_, _) => Task.CompletedTask;
        store.BeforeCommit = _ => Task.CompletedTask;

        var after = ("Renamed by the import", before.Relationships + 1);
        Assert.Equal(1, gated);
        Assert.True(import.IsCompletedSuccessfully);
        Assert.True(during == before || during == after, $"a mix of two states: {during}; before {before}, after {after}");
        Assert.Equal(after, await ReadAsync());
    }

    private async Task<(string Name, int Relationships)> ReadAsync()
    {
        var organisation = (await _client.QueryAsync(Query))["organisation"]!;
        return (organisation["name"]!.GetValue<string>(), organisation["relationships"]!["totalCount"]!.GetValue<int>());
    }

    private static async Task<GraphBatch> RenameAndLinkAsync(SqliteGraphStore store)
    {
        var source = new Source { Id = "request-snapshot", Title = "Request snapshot test" };
        var qt1 = (await store.GetNodesAsync(["QT1"], CancellationToken.None))["QT1"];
        return new GraphBatch
        {
            Sources = [source],
            Nodes =
            [
                qt1 with { Name = "Renamed by the import" },
                new Node { Id = "SNAPSHOT-NEW", Name = "Added by the import", Kind = OrgKind.Trust, Sector = Sector.Public, SourceIds = [source.Id] },
            ],
            Relationships = [new Relationship { Type = RelationshipType.PartOf, From = "SNAPSHOT-NEW", To = "QT1", SourceIds = [source.Id] }],
        };
    }
}
