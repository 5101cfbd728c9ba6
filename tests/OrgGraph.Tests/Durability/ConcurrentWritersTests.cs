using OrgGraph.Importing;
using OrgGraph.Storage;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Durability;

/// <summary>
/// Concurrent writers are serialised, or refused with a clear error once the busy timeout has passed: in one process
/// (the store's write lock), between stores on one file, and between two import commands in child processes. Two
/// inputs rename the same organisations differently, so the result shows the order they were applied in; it must
/// equal applying them one after the other. Writer A holds the write transaction open through the store's test hook.
/// </summary>
public sealed class ConcurrentWritersTests : IAsyncLifetime
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);

    private SeededCopy _copy = null!;
    private string _inputA = null!;
    private string _inputB = null!;

    public async Task InitializeAsync()
    {
        _copy = await SeededCopy.CreateAsync();
        var renamed = await StoreState.NodesAsync(_copy.Database, "kind = 'GP_PRACTICE' ORDER BY id LIMIT 100");
        _inputA = await GeneratedCsv.WriteAsync(_copy.PathOf("a"), renamed, "WRITER-A", newNodes: 500);
        _inputB = await GeneratedCsv.WriteAsync(_copy.PathOf("b"), renamed, "WRITER-B", newNodes: 500);
    }

    public Task DisposeAsync()
    {
        _copy.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TwoImports_OnOneStore_AreSerialised()
    {
        var store = Store(_copy.Database);
        var (paused, release) = PauseOnce(store);
        var a = Importer(store).ImportAsync(_inputA, CancellationToken.None);
        await paused.WaitAsync(TimeSpan.FromSeconds(30));
        var b = Importer(store).ImportAsync(_inputB, CancellationToken.None);

        await Task.Delay(300);
        Assert.False(b.IsCompleted, "the second import must wait for the first: " + b.Exception?.Message);
        release.SetResult();
        await Task.WhenAll(a, b);

        Assert.Equal(await SequentialAsync(_inputA, _inputB), await StoreState.ReadAsync(_copy.Database));
    }

    [Fact]
    public async Task TwoStores_OnOneFile_WaitForEachOther_OrRefuseClearlyAfterTheBusyTimeout()
    {
        var first = Store(_copy.Database);
        var (paused, release) = PauseOnce(first);
        var before = await StoreState.ReadAsync(_copy.Database);
        var a = Importer(first).ImportAsync(_inputA, CancellationToken.None);
        await paused.WaitAsync(TimeSpan.FromSeconds(30));

        // A second store (as in another process) with a short busy timeout is refused, clearly, and writes nothing.
        var impatient = Store(_copy.Database, TimeSpan.FromSeconds(1));
        var refused = await Assert.ThrowsAsync<StoreBusyException>(() => Importer(impatient).ImportAsync(_inputB, CancellationToken.None));
        Assert.Contains("being written by another process", refused.Message);
        Assert.Contains("Nothing was written", refused.Message);
        Assert.Contains("Storage:Sqlite:BusyTimeout", refused.Message);

        // One with the default timeout waits for the first write and then applies its own. (Microsoft.Data.Sqlite waits
        // for a lock synchronously, hence Task.Run.)
        var patient = Task.Run(() => Importer(Store(_copy.Database)).ImportAsync(_inputB, CancellationToken.None));
        await Task.Delay(300);
        Assert.False(patient.IsCompleted, "the second store must wait for the first one's transaction: " + patient.Exception?.Message);
        Assert.Equal(before, await StoreState.ReadAsync(_copy.Database));
        release.SetResult();
        await Task.WhenAll(a, patient);

        Assert.Equal(await SequentialAsync(_inputA, _inputB), await StoreState.ReadAsync(_copy.Database));
    }

    [Fact]
    public async Task WriteWaitingForAnotherProcess_HoldsNoThread_AndStopsWhenCancelled()
    {
        var before = await StoreState.ReadAsync(_copy.Database);
        var batch = await new CsvImporter(Store(_copy.Database)).ReadAsync(_inputA, CancellationToken.None);
        // Another process's write transaction, as the import command holds it.
        await using var other = StoreState.Open(_copy.Database);
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        // The call returns to its caller at once while it waits (Microsoft.Data.Sqlite's own retry would block it in Thread.Sleep).
        var store = Store(_copy.Database);
        using var cancel = new CancellationTokenSource();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var waiting = store.UpsertAsync(batch, cancel.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1) && !waiting.IsCompleted, $"the call blocked its caller for {clock.Elapsed}");
        var patient = store.UpsertAsync(batch, CancellationToken.None);

        await Task.Delay(300);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.False(patient.IsCompleted);
        Assert.Equal(before, await StoreState.ReadAsync(_copy.Database));

        // Once the other process is done, a write that kept waiting goes ahead.
        await using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        await patient.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(await SequentialAsync(_inputA), await StoreState.ReadAsync(_copy.Database));
    }

    [Fact]
    public async Task TwoImportCommands_OnOneFile_AreSerialised_OrTheSecondIsRefusedWithAClearError()
    {
        var signal = _copy.PathOf("paused");
        using var a = ImportProcess.Start(_copy.Database, _inputA, (SqliteGraphStore.PauseBeforeCommitVariable, signal));
        await a.WaitForFileAsync(signal, ProcessTimeout);

        // Refused: a second command that will not wait long enough exits with code 3 and says why.
        using (var impatient = ImportProcess.Start(_copy.Database, _inputB, ("Storage__Sqlite__BusyTimeout", "00:00:01")))
        {
            var (code, _, stderr) = await impatient.WaitAsync(ProcessTimeout);
            Assert.True(code == 3, $"exit code {code}: {stderr}");
            Assert.Contains("is being written by another process", stderr);
            Assert.Contains("Nothing was written", stderr);
            Assert.DoesNotContain("   at ", stderr); // a message, not a stack trace
        }

        // Serialised: a second command with the default timeout waits for the first and then writes.
        using var b = ImportProcess.Start(_copy.Database, _inputB);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(b.HasExited, "the second import must wait while the first holds the write lock");
        File.Delete(signal);
        var (codeA, _, errorA) = await a.WaitAsync(ProcessTimeout);
        var (codeB, outputB, errorB) = await b.WaitAsync(ProcessTimeout);
        Assert.True(codeA == 0, errorA);
        Assert.True(codeB == 0, errorB);
        Assert.Contains("Imported 600 nodes", outputB);

        Assert.Equal(await SequentialAsync(_inputA, _inputB), await StoreState.ReadAsync(_copy.Database));
        Assert.Equal("ok", await StoreState.IntegrityCheckAsync(_copy.Database));
    }

    [Fact]
    public async Task ImportCommand_WhileTheApiServes_IsSeenByItsLookupsAndPathQueries()
    {
        // Another process's write must also refresh the API's in-memory traversal index, built here by a first path
        // query, and its cache of organisations and resolved ids, filled here by first look-ups (a hit and a miss).
        await using var app = new OrgGraphApp(("Storage:Sqlite:Path", _copy.Database));
        var client = await app.ReadyClientAsync();
        var renamed = (await StoreState.NodesAsync(_copy.Database, "kind = 'GP_PRACTICE' ORDER BY id LIMIT 1"))[0];
        const string Lookup = """query($a: ID!, $b: ID!) { a: organisation(id: $a) { name } b: organisation(id: $b) { name } }""";
        var variables = new { a = renamed.Id, b = "WRITER-A-000001" };
        var before = await client.QueryAsync(Lookup, variables);
        Assert.Equal(renamed.Name, before["a"]!["name"]!.GetValue<string>());
        Assert.Null(before["b"]);
        await client.QueryAsync("""{ whoControls(id: "QT1") { length } }""");

        using (var import = ImportProcess.Start(_copy.Database, _inputA))
        {
            var (code, _, stderr) = await import.WaitAsync(ProcessTimeout);
            Assert.True(code == 0, stderr);
        }

        var after = await client.QueryAsync(Lookup, variables);
        Assert.Equal($"{renamed.Name} (WRITER-A)", after["a"]!["name"]!.GetValue<string>());
        Assert.Equal("Generated company 1 (WRITER-A)", after["b"]!["name"]!.GetValue<string>());
        var chains = (await client.QueryAsync("""{ whoControls(id: "WRITER-A-000498", kinds: [OWNERSHIP]) { controller { id } } }"""))["whoControls"]!.AsArray();
        Assert.Equal("WRITER-A-000499", Assert.Single(chains)!["controller"]!["id"]!.GetValue<string>());
    }

    private static SqliteGraphStore Store(string path, TimeSpan? busyTimeout = null) =>
        new(new SqliteOptions { Path = path, BusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(30) });

    private static GraphImporter Importer(SqliteGraphStore store) => new(store, new CsvImporter(store));

    /// <summary>Makes the store's next write pause inside its transaction until released.</summary>
    private static (Task Paused, TaskCompletionSource Release) PauseOnce(SqliteGraphStore store)
    {
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = 0;
        store.BeforeCommit = async ct =>
        {
            if (Interlocked.Exchange(ref first, 1) == 0)
            {
                paused.SetResult();
                await release.Task.WaitAsync(ct);
            }
        };
        return (paused.Task, release);
    }

    /// <summary>The state after applying the inputs one after the other to another copy of the same store.</summary>
    private async Task<SortedDictionary<string, string>> SequentialAsync(params string[] inputs)
    {
        var path = await SeededCopy.CopyTemplateAsync(_copy.PathOf($"sequential-{Guid.NewGuid():N}.db"));
        var store = Store(path);
        foreach (var input in inputs)
        {
            await Importer(store).ImportAsync(input, CancellationToken.None);
        }

        return await StoreState.ReadAsync(path);
    }
}
