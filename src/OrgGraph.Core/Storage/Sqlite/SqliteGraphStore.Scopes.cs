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

        var scope = new Scope(writes: false);
        _scope.Value = scope;
        try
        {
            return await read();
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
            // Reads of the flow after a write (a mutation's answer) start a new snapshot, which sees it.
            if (outer is not null)
            {
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
        Interlocked.Increment(ref _calls);
        await BeforeCall(caller, cancellationToken);
        if (_scope.Value is { } scope)
        {
            await scope.Gate.WaitAsync(cancellationToken);
            try
            {
                if (!scope.Closed)
                {
                    if (scope.Connection is null)
                    {
                        scope.Connection = await OpenAsync(cancellationToken);
                        scope.Transaction = scope.Connection.BeginTransaction(deferred: true);
                    }

                    return new Lease(scope.Connection, scope.Transaction, scope);
                }
            }
            catch
            {
                scope.Gate.Release();
                throw;
            }

            scope.Gate.Release();
        }

        var connection = await OpenAsync(cancellationToken);
        return new Lease(connection, connection.BeginTransaction(deferred: true), null);
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

    private readonly struct Lease(SqliteConnection connection, SqliteTransaction? transaction, Scope? scope) : IAsyncDisposable
    {
        public SqliteConnection Connection => connection;

        public SqliteTransaction? Transaction => transaction;

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
