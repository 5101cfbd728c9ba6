using Microsoft.Data.Sqlite;

namespace OrgGraph.Storage.Sqlite;

/// <summary>
/// What keeps the embedded store consistent under crashes and concurrency:
/// <list type="bullet">
/// <item>every write (<see cref="UpsertAsync"/>) is one transaction in WAL mode, so a process killed part-way leaves
/// only uncommitted frames in the <c>-wal</c> file, which SQLite discards on the next open: the store is exactly as it was;</item>
/// <item>each read runs in one read transaction (one snapshot), so it sees the graph before a concurrent write or after it,
/// never part of it; traversals check the store <em>generation</em> (bumped in every write transaction) in their snapshot,
/// so the in-memory index is rebuilt after a write by this process or any other;</item>
/// <item>writers are serialised: in one process by a semaphore, across processes by SQLite's write lock, which a second
/// writer waits for (asynchronously, without holding a thread) up to <see cref="SqliteOptions.BusyTimeout"/> and is then
/// refused with a <see cref="StoreBusyException"/>;</item>
/// <item>a write transaction reads what it replaces inside itself, and a GraphQL request's reads share one snapshot
/// (SqliteGraphStore.Scopes.cs).</item>
/// </list>
/// </summary>
public sealed partial class SqliteGraphStore
{
    private readonly string _path;
    private readonly TimeSpan _busyTimeout;

    /// <summary>
    /// Test hook (inert by default). When the environment variable of this name names a file, every write transaction,
    /// with all its rows written but not committed, creates that file and waits until it is deleted before committing;
    /// the durability tests use it to kill an import at a known point and to hold the write lock from a child process.
    /// </summary>
    public const string PauseBeforeCommitVariable = "ORGGRAPH_TEST_PAUSE_BEFORE_COMMIT";

    private static readonly string? PauseSignal = Environment.GetEnvironmentVariable(PauseBeforeCommitVariable) is { Length: > 0 } path ? path : null;

    /// <summary>Runs inside every write transaction just before it commits; a test hook, see <see cref="PauseBeforeCommitVariable"/>.</summary>
    internal Func<CancellationToken, Task> BeforeCommit { get; set; } = PauseSignal is null ? _ => Task.CompletedTask : PauseAsync;

    private static async Task PauseAsync(CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(PauseSignal!, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        while (File.Exists(PauseSignal))
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task BumpGenerationAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            INSERT INTO store_meta (key, value) VALUES ('generation', 1)
            ON CONFLICT (key) DO UPDATE SET value = value + 1
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The generation the snapshot sees: 0 for a store never written since generations were introduced.</summary>
    private static async Task<long> ReadGenerationAsync(SqliteConnection connection, SqliteTransaction? snapshot, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT coalesce((SELECT value FROM store_meta WHERE key = 'generation'), 0)", snapshot);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED once the busy timeout has run out.</summary>
    private static bool IsBusy(SqliteException e) => e.SqliteErrorCode is 5 or 6;

    private StoreBusyException Busy(SqliteException? e) => new(
        $"The database {_path} is being written by another process (an import?) and was not released within {_busyTimeout.TotalSeconds:0} s " +
        $"(Storage:Sqlite:BusyTimeout). Nothing was written; try again when that write has finished.", e);
}
