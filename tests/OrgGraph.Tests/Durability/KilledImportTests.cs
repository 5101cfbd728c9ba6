using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;

namespace OrgGraph.Tests.Durability;

/// <summary>
/// "Nothing lost": the real import command, in a child process, killed while its write transaction is in progress,
/// leaves the store exactly as it was. The child pauses deterministically inside the transaction — every row written,
/// nothing committed — through the store's test hook (<see cref="SqliteGraphStore.PauseBeforeCommitVariable"/>).
/// </summary>
public sealed class KilledImportTests
{
    [Fact]
    public async Task Import_KilledInsideItsTransaction_LeavesTheStoreExactlyAsItWas()
    {
        using var copy = await SeededCopy.CreateAsync();
        var renamed = await StoreState.NodesAsync(copy.Database, "kind = 'GP_PRACTICE' ORDER BY id LIMIT 2000");
        var input = await GeneratedCsv.WriteAsync(copy.PathOf("input"), renamed, "KILLED", newNodes: 10_000);
        var before = await StoreState.ReadAsync(copy.Database);
        var fileBefore = StoreState.FileHash(copy.Database);
        var signal = copy.PathOf("paused");

        using (var import = ImportProcess.Start(copy.Database, input, (SqliteGraphStore.PauseBeforeCommitVariable, signal)))
        {
            await import.WaitForFileAsync(signal, TimeSpan.FromSeconds(60));
            // The transaction has spilled its rows to the write-ahead log: the kill interrupts a real, large write.
            Assert.True(new FileInfo(copy.Database + "-wal").Length > 1_000_000, "the uncommitted write should be in the WAL file");
            import.Kill();
        }

        // Uncommitted frames live only in the -wal file: the main file is byte for byte what it was...
        Assert.Equal(fileBefore, StoreState.FileHash(copy.Database));
        // ...and once SQLite has recovered (on the next open), every table holds exactly the rows it held.
        Assert.Equal(before, await StoreState.ReadAsync(copy.Database));
        Assert.Equal("ok", await StoreState.IntegrityCheckAsync(copy.Database));
        Assert.False(File.Exists(copy.Database + "-journal"));

        // The recovered store takes writes again.
        var store = new SqliteGraphStore(new SqliteOptions { Path = copy.Database });
        await store.InitializeAsync(CancellationToken.None);
        var source = new Source { Id = "after-the-kill", Title = "After the kill" };
        await store.UpsertAsync(new GraphBatch
        {
            Sources = [source],
            Nodes = [new Node { Id = "AFTER-KILL", Name = "Written after the kill", Kind = OrgKind.Company, Sector = Sector.Private, SourceIds = [source.Id] }],
        }, CancellationToken.None);
        Assert.Equal("Written after the kill", (await store.GetNodesAsync(["AFTER-KILL"], CancellationToken.None))["AFTER-KILL"].Name);
        Assert.Equal(renamed[0].Name, (await store.GetNodesAsync([renamed[0].Id], CancellationToken.None))[renamed[0].Id].Name);
    }
}
