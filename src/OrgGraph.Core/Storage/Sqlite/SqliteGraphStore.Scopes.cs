using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OrgGraph.Storage.Sqlite;

/// <summary>
/// Scopes: the store calls of one async flow that share one connection and one transaction.
/// <list type="bullet">
/// <item>A <em>snapshot</em> (<see cref="InSnapshotAsync"/>, one per GraphQL request) is a read transaction opened by the
/// flow's first store call: every later call sees the graph as that one did, even if an import commits in between. A write
/// made in the flow ends it, so what is read after the write sees the write.</item>
/// <item>A <em>write transaction</em> (<see cref="InWriteTransactionAsync"/>) holds the write lock from its start: the reads
/// it makes (e.g. the audit record's "before") and its <see cref="UpsertAsync"/> calls are one transaction, committed when it
/// returns (rolled back if it wrote nothing or threw), so no other writer, in this process or another, can change what it
/// read before it writes.</item>
/// </list>
/// The calls of one scope take turns on its connection (GraphQL resolves fields in parallel).
/// </summary>
public sealed partial class SqliteGraphStore
{
    /// <summary>How often a write waiting for another process's write lock tries again.</summary>
    private static readonly TimeSpan BusyPoll = TimeSpan.FromMilliseconds(50);

    private readonly AsyncLocal<Scope?> _scope = new();

    /// <summary>Test hook (inert by default): runs at the start of every store call, with the name of the method, e.g. to hold a request between two calls.</summary>
    internal Func<string, CancellationToken, Task> BeforeCall { get; set; } = (_, _) => Task.CompletedTask;

    public async Task<T> InSnapshotAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        if (_scope.Value is not null)
        {
            return await read();
        }

        var (result, moved) = await RunInSnapshotAsync(read, new Scope(writes: false), cancellationToken);
        // A commit landed after the request had answers from memory and before it needed the file (SqliteGraphStore.ReadCache.cs):
        // it runs again, on one snapshot of the file only. A request that wrote is never run twice.
        return moved ? (await RunInSnapshotAsync(read, new Scope(writes: false) { NoCache = true }, cancellationToken)).Result : result;
    }

    private async Task<(T Result, bool Moved)> RunInSnapshotAsync<T>(Func<Task<T>> read, Scope scope, CancellationToken cancellationToken)
    {
        _scope.Value = scope;
        try
        {
            var result = await read();
            return (result, scope.Moved && !scope.HasWritten);
        }
        finally
        {
            _scope.Value = null;
            // Once the call in progress (if any) is done. After a timeout that may be a statement SQLite cannot interrupt,
            // which the answer must not wait for.
            var closing = scope.CloseAsync(closed: true);
            if (!cancellationToken.IsCancellationRequested)
            {
                await closing;
            }
        }
    }

    public async Task<T> InWriteTransactionAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (_scope.Value is { Writes: true })
        {
            return await write();
        }

        var outer = _scope.Value;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await BeginWriteAsync(connection, cancellationToken);
            var scope = new Scope(writes: true) { Connection = connection };
            _scope.Value = scope;
            try
            {
                var result = await write();
                // A write that wrote nothing (a refused upload, say) leaves the store as it was: rolled back below.
                if (scope.Wrote)
                {
                    await BumpGenerationAsync(connection, cancellationToken);
                    await BeforeCommit(cancellationToken);
                    await ExecuteAsync(connection, null, "COMMIT", cancellationToken);
                }

                return result;
            }
            finally
            {
                _scope.Value = outer;
                if (raw.sqlite3_get_autocommit(connection.Handle) == 0)
                {
                    await ExecuteAsync(connection, null, "ROLLBACK", CancellationToken.None);
                }
            }
        }
        catch (SqliteException e) when (IsBusy(e))
        {
            throw Busy(e);
        }
        finally
        {
            _writeLock.Release();
            // Reads of the flow after a write (a mutation's answer) start a new snapshot, which sees it, from the file.
            if (outer is not null)
            {
                (outer.HasWritten, outer.NoCache, outer.ServedState) = (true, true, null);
                await outer.CloseAsync(closed: false);
            }
        }
    }

    /// <summary>
    /// Takes SQLite's write lock (<c>BEGIN IMMEDIATE</c>) without blocking a thread: while another process holds it, tries
    /// again every <see cref="BusyPoll"/> until <see cref="SqliteOptions.BusyTimeout"/> has passed (then
    /// <see cref="StoreBusyException"/>) or <paramref name="cancellationToken"/> fires. (Microsoft.Data.Sqlite itself would
    /// retry with Thread.Sleep.)
    /// </summary>
    private async Task BeginWriteAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var code = raw.sqlite3_exec(connection.Handle, "BEGIN IMMEDIATE");
            if (code == raw.SQLITE_OK)
            {
                return;
            }

            if (code is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED))
            {
                SqliteException.ThrowExceptionForRC(code, connection.Handle);
            }

            if (waited.Elapsed >= _busyTimeout)
            {
                throw Busy(null);
            }

            await Task.Delay(BusyPoll, cancellationToken);
        }
    }

    /// <summary>A connection for one store call and the transaction its statements run in: its scope's, or its own read transaction.</summary>
    private async Task<Lease> LeaseAsync(CancellationToken cancellationToken, [CallerMemberName] string caller = "")
    {
        await EnterCallAsync(cancellationToken, caller);
        return await OpenLeaseAsync(cancellationToken);
    }

    /// <summary>Counts a store call and runs the <see cref="BeforeCall"/> hook, for calls answered from memory too.</summary>
    private async Task EnterCallAsync(CancellationToken cancellationToken, [CallerMemberName] string caller = "")
    {
        Interlocked.Increment(ref _calls);
        await BeforeCall(caller, cancellationToken);
    }

    /// <summary>The lease of <see cref="LeaseAsync"/> for a call already counted.</summary>
    private async Task<Lease> OpenLeaseAsync(CancellationToken cancellationToken)
    {
        if (_scope.Value is { } scope)
        {
            await scope.Gate.WaitAsync(cancellationToken);
            try
            {
                if (!scope.Closed)
                {
                    if (scope.Connection is null)
                    {
                        var (connection, transaction, state) = await OpenSnapshotAsync(cancellationToken);
                        (scope.Connection, scope.Transaction, scope.State) = (connection, transaction, state);
                        scope.CheckNotMoved(state);
                    }

                    return new Lease(scope.Connection, scope.Transaction, scope, scope.State);
                }
            }
            catch
            {
                scope.Gate.Release();
                throw;
            }

            scope.Gate.Release();
        }

        var (own, ownTransaction, ownState) = await OpenSnapshotAsync(cancellationToken);
        return new Lease(own, ownTransaction, null, ownState);
    }

    /// <summary>
    /// A connection in a read transaction, and the WAL-index header of the state it shows when that is known exactly (the
    /// header did not change while the transaction took its snapshot; see SqliteGraphStore.ReadCache.cs).
    /// </summary>
    private async Task<(SqliteConnection Connection, SqliteTransaction Transaction, byte[]? State)> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        var before = ReadWalIndexHeader();
        var connection = await OpenAsync(cancellationToken);
        var transaction = connection.BeginTransaction(deferred: true);
        if (before is null)
        {
            return (connection, transaction, null);
        }

        // A deferred transaction takes its snapshot at its first read.
        await ExecuteAsync(connection, transaction, "SELECT 1 FROM store_meta LIMIT 1", cancellationToken);
        return (connection, transaction, ReadWalIndexHeader() is { } after && after.AsSpan().SequenceEqual(before) ? before : null);
    }

    /// <summary>Whether the flow is in a write transaction (whose uncommitted rows must not be cached as a generation's index).</summary>
    private bool InWrite => _scope.Value is { Writes: true };

    private sealed class Scope(bool writes)
    {
        public bool Writes { get; } = writes;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SqliteConnection? Connection { get; set; }

        /// <summary>A snapshot's read transaction; null in a write transaction, which is begun on the connection directly.</summary>
        public SqliteTransaction? Transaction { get; set; }

        public bool Closed { get; private set; }

        /// <summary>Whether a write transaction has written anything (only then is it committed).</summary>
        public bool Wrote { get; set; }

        /// <summary>The WAL-index header of the state its snapshot shows, when known exactly.</summary>
        public byte[]? State { get; set; }

        /// <summary>A snapshot's flow has made a write (its later reads come from the file; it is never run again).</summary>
        public bool HasWritten { get; set; }

        /// <summary>Answers come from the file only.</summary>
        public bool NoCache { get; set; }

        /// <summary>The state of the answers it took from memory before it had a transaction; null when none.</summary>
        public byte[]? ServedState { get; set; }

        /// <summary>A commit landed between an answer from memory and the snapshot; the flow must run again.</summary>
        public bool Moved { get; private set; }

        /// <summary>
        /// Marks the flow <see cref="Moved"/> and stops the call when its answers from memory are of another state than
        /// <paramref name="state"/> (the file's now, or its snapshot's; null when unknown).
        /// </summary>
        public void CheckNotMoved(byte[]? state)
        {
            if (ServedState is not null && (state is null || !state.AsSpan().SequenceEqual(ServedState)))
            {
                Moved = true;
                throw new SnapshotMovedException();
            }
        }

        /// <summary>Ends a snapshot's transaction once no call is using it; the next call starts a new one, unless <paramref name="closed"/>.</summary>
        public async Task CloseAsync(bool closed)
        {
            await Gate.WaitAsync();
            try
            {
                Closed |= closed;
                if (Transaction is not null)
                {
                    await Transaction.DisposeAsync();
                }

                if (Connection is not null)
                {
                    await Connection.DisposeAsync();
                }

                (Transaction, Connection) = (null, null);
            }
            finally
            {
                Gate.Release();
            }
        }
    }

    private readonly struct Lease(SqliteConnection connection, SqliteTransaction? transaction, Scope? scope, byte[]? state) : IAsyncDisposable
    {
        public SqliteConnection Connection => connection;

        public SqliteTransaction? Transaction => transaction;

        /// <summary>Whether what is read through this lease is of the state of <paramref name="cache"/>, so it may be kept there.</summary>
        public bool Shows(ReadCache cache) => state is not null && state.AsSpan().SequenceEqual(cache.Header);

        public async ValueTask DisposeAsync()
        {
            if (scope is not null)
            {
                scope.Gate.Release();
                return;
            }

            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
        }
    }
}
