using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using OrgGraph.Model;

namespace OrgGraph.Storage.Sqlite;

/// <summary>
/// Organisations and id resolutions already read are answered from memory while the database is unchanged.
/// <para>
/// "Unchanged" is read from the WAL-index header, the first 48 bytes of the <c>-shm</c> file that SQLite keeps
/// beside a database in WAL mode (format: https://www.sqlite.org/walformat.html). Every commit, by any connection
/// of any process, rewrites it (its <c>iChange</c> counter goes up by one, its <c>mxFrame</c> moves), so a cache is
/// kept with the header of the state it holds and is used only while the file still shows that header; reading it
/// is one 48-byte <c>pread</c>, no SQLite lock. The store keeps one connection open for its lifetime, so the
/// <c>-shm</c> file is never deleted and recreated under the handle (SQLite removes it only when the last
/// connection to the database closes). Where there is no <c>-shm</c> file (not WAL, or unreadable), nothing is
/// cached.
/// </para>
/// <para>
/// A cache holds one state exactly: rows are kept only when read in a transaction whose snapshot is known to show
/// the cache's header (<see cref="OpenSnapshotAsync"/>). Within a request's snapshot (SqliteGraphStore.Scopes.cs)
/// answers come from memory only while they are of the snapshot's state; a request that took answers from memory
/// and then finds that a commit landed before it needed the file is run again on the file alone
/// (<see cref="InSnapshotAsync"/>), so its answer is all of one state.
/// </para>
/// </summary>
public sealed partial class SqliteGraphStore : IDisposable
{
    /// <summary>Entries kept before the cache starts afresh, so look-ups of endless made-up ids cannot grow memory.</summary>
    private const int ReadCacheCapacity = 100_000;

    private const int WalIndexHeaderBytes = 48;

    private readonly Lock _watchLock = new();
    private SqliteConnection? _pin;
    private SafeFileHandle? _walIndex;
    private volatile bool _watchUnavailable;
    private ReadCache? _readCache;

    private sealed class ReadCache(byte[] header)
    {
        public byte[] Header { get; } = header;

        public ConcurrentDictionary<string, Node> Nodes { get; } = new(StringComparer.Ordinal);

        /// <summary>Id or alias → the id it resolves to, or null for one that resolves to nothing.</summary>
        public ConcurrentDictionary<string, string?> Resolved { get; } = new(StringComparer.Ordinal);

        public bool IsFull => Nodes.Count + Resolved.Count >= ReadCacheCapacity;
    }

    /// <summary>The WAL-index header as the file shows it now, or null when it cannot be read.</summary>
    private byte[]? ReadWalIndexHeader()
    {
        var header = new byte[WalIndexHeaderBytes];
        return WalIndex() is { } walIndex && RandomAccess.Read(walIndex, header, 0) == WalIndexHeaderBytes ? header : null;
    }

    /// <summary>The cache this store call may answer from and fill, or null when it must read the file.</summary>
    private ReadCache? UsableReadCache()
    {
        var scope = _scope.Value;
        if (scope is { Writes: true } or { NoCache: true } || ReadWalIndexHeader() is not { } header)
        {
            return null;
        }

        if (scope is null)
        {
            return CurrentReadCache(header);
        }

        lock (scope)
        {
            if (scope.Connection is not null)
            {
                // The request has its snapshot: memory serves it only while the file is still in that state.
                return scope.State is { } state && state.AsSpan().SequenceEqual(header) ? CurrentReadCache(header) : null;
            }

            scope.ServedState ??= header;
            scope.CheckNotMoved(header);
            return CurrentReadCache(header);
        }
    }

    /// <summary>The cache of the state whose header is <paramref name="header"/>, started afresh when the state has changed.</summary>
    private ReadCache CurrentReadCache(byte[] header)
    {
        var cache = Volatile.Read(ref _readCache);
        if (cache is not null && header.AsSpan().SequenceEqual(cache.Header) && !cache.IsFull)
        {
            return cache;
        }

        var fresh = new ReadCache(header);
        Interlocked.CompareExchange(ref _readCache, fresh, cache);
        return fresh;
    }

    /// <summary>The open <c>-shm</c> file, opened (with the connection that keeps it in place) on first use.</summary>
    private SafeFileHandle? WalIndex()
    {
        if (Volatile.Read(ref _walIndex) is { } open)
        {
            return open;
        }

        if (_watchUnavailable)
        {
            return null;
        }

        lock (_watchLock)
        {
            if (_walIndex is not null || _watchUnavailable)
            {
                return _walIndex;
            }

            try
            {
                _pin = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
                _pin.Open();
                using (var read = _pin.CreateCommand())
                {
                    read.CommandText = "SELECT count(*) FROM sqlite_schema"; // opens the WAL and its index
                    read.ExecuteScalar();
                }

                Volatile.Write(ref _walIndex, File.OpenHandle(_path + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _watchUnavailable = true;
                _pin?.Dispose();
                _pin = null;
            }

            return _walIndex;
        }
    }

    public void Dispose()
    {
        lock (_watchLock)
        {
            _walIndex?.Dispose();
            _pin?.Dispose();
            (_walIndex, _pin, _watchUnavailable) = (null, null, true);
        }
    }
}

/// <summary>A request's answers from memory and its snapshot of the file show different states; the request runs again.</summary>
public sealed class SnapshotMovedException()
    : Exception("The graph changed while this request was being answered (a write committed); it is answered again.");
