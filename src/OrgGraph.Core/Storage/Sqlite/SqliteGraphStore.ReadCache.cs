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
/// of any process, rewrites it (its <c>iChange</c> counter goes up by one, its <c>mxFrame</c> moves), so the cache
/// is kept with the header seen before it was started and is used only while the file still shows that header;
/// reading it is one 48-byte <c>pread</c>, no SQLite lock. The store keeps one connection open for its lifetime,
/// so the <c>-shm</c> file is never deleted and recreated under the handle (SQLite removes it only when the last
/// connection to the database closes). Where there is no <c>-shm</c> file (not WAL, or unreadable), nothing is
/// cached.
/// </para>
/// <para>
/// A reader fills the cache it was given, whose header was current when it asked, and reads from a snapshot that
/// starts after it asked: a cache can gain rows newer than its header (it is replaced at the next ask), never
/// older ones. An answer from memory is never older than one read from the file at the same moment.
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
    private bool _watchUnavailable;
    private ReadCache? _readCache;

    private sealed class ReadCache(byte[] header)
    {
        public byte[] Header { get; } = header;

        public ConcurrentDictionary<string, Node> Nodes { get; } = new(StringComparer.Ordinal);

        /// <summary>Id or alias → the id it resolves to, or null for one that resolves to nothing.</summary>
        public ConcurrentDictionary<string, string?> Resolved { get; } = new(StringComparer.Ordinal);

        public bool IsFull => Nodes.Count + Resolved.Count >= ReadCacheCapacity;
    }

    /// <summary>The cache valid for the database as it is now (a new, unshared one when that cannot be told).</summary>
    private ReadCache CurrentReadCache()
    {
        Span<byte> header = stackalloc byte[WalIndexHeaderBytes];
        if (WalIndex() is not { } walIndex || RandomAccess.Read(walIndex, header, 0) != WalIndexHeaderBytes)
        {
            return new ReadCache([]);
        }

        var cache = Volatile.Read(ref _readCache);
        if (cache is not null && header.SequenceEqual(cache.Header) && !cache.IsFull)
        {
            return cache;
        }

        var fresh = new ReadCache(header.ToArray());
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
