using GraphQL.DataLoader;

namespace OrgGraph.Api.GraphQL.Loading;

/// <summary>
/// A minimal data loader (GraphQL.DataLoader is not available here). Keys requested while the executor
/// walks one level of the query collect in an open batch; the first time any of them is awaited the batch
/// closes and is fetched with one store call. The executor defers <see cref="IDataLoaderResult"/>s until a
/// level is done, which is what makes the batching work.
/// </summary>
internal sealed class BatchLoader<TKey, TValue>(
    Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private Batch? _open;

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_lock)
        {
            _open ??= new Batch(this);
            _open.Keys.Add(key);
            return new Result(_open, key);
        }
    }

    /// <summary>Loads several keys at once; the result keeps the order of <paramref name="keys"/> and skips missing ones.</summary>
    public IDataLoaderResult<IReadOnlyList<TValue>> LoadMany(IEnumerable<TKey> keys)
    {
        var results = keys.Select(Load).ToList();
        return new DeferredResult<IReadOnlyList<TValue>>(async ct =>
        {
            var values = new List<TValue>(results.Count);
            foreach (var r in results)
            {
                if (await r.GetResultAsync(ct) is { } value)
                {
                    values.Add(value);
                }
            }

            return values;
        });
    }

    private sealed class Batch(BatchLoader<TKey, TValue> owner)
    {
        private Task<IReadOnlyDictionary<TKey, TValue>>? _task;

        public HashSet<TKey> Keys { get; } = [];

        public Task<IReadOnlyDictionary<TKey, TValue>> FetchAsync(CancellationToken cancellationToken)
        {
            lock (owner._lock)
            {
                if (owner._open == this)
                {
                    owner._open = null;
                }

                return _task ??= owner._fetch(Keys, cancellationToken);
            }
        }
    }

    private readonly Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> _fetch = fetch;

    private sealed class Result(Batch batch, TKey key) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) =>
            (await batch.FetchAsync(cancellationToken)).TryGetValue(key, out var value) ? value : default;

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}

/// <summary>A data-loader result computed by a delegate when the executor asks for it.</summary>
internal sealed class DeferredResult<T>(Func<CancellationToken, Task<T>> compute) : IDataLoaderResult<T>
{
    public Task<T> GetResultAsync(CancellationToken cancellationToken = default) => compute(cancellationToken);

    async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await compute(cancellationToken);
}

internal static class DataLoaderResultExtensions
{
    /// <summary>
    /// Chains a second load onto a first: the executor gets the second <see cref="IDataLoaderResult"/> back
    /// and queues it with its siblings, so the second step batches across the whole level too.
    /// </summary>
    public static IDataLoaderResult Then<T>(this IDataLoaderResult<T> first, Func<T, IDataLoaderResult> next) =>
        new DeferredResult<IDataLoaderResult>(async ct => next(await first.GetResultAsync(ct)));

    /// <summary>Transforms a result without another load.</summary>
    public static IDataLoaderResult<TOut> Select<T, TOut>(this IDataLoaderResult<T> first, Func<T, TOut> map) =>
        new DeferredResult<TOut>(async ct => map(await first.GetResultAsync(ct)));
}
