using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Storage;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Http;

/// <summary>
/// The per-query time limit (<c>GraphQL:Timeout</c>): a store call that does not finish is cancelled through the
/// token the store was given, and the client gets a TIMEOUT error rather than a hung request.
/// </summary>
public sealed class QueryTimeoutTests(SeededApp seeded) : IClassFixture<SeededApp>
{
    [Fact]
    public async Task SlowStoreCall_IsCancelledByTheQueryTimeout_AndAnsweredWithTimeout()
    {
        await using var app = new OrgGraphApp(("GraphQL:Timeout", "00:00:01"));
        File.Copy(seeded.OracleDatabasePath, app.DatabasePath);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var hanging = app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<IGraphStore>(_ => HangingStore.Wrap(
                new SqliteGraphStore(new SqliteOptions { Path = app.DatabasePath }), nameof(IGraphStore.FindNodesAsync), cancelled))));
        using var client = hanging.CreateClient();
        await client.PostAsync("""{ organisation(id: "QT1") { id } }"""); // warm up, so the time goes to the store call

        var (status, errors) = await client.FailAsync("{ organisations(first: 5) { totalCount } }");

        Assert.Equal(HttpStatusCode.OK, status); // an execution error: the request itself was valid
        Assert.Equal("TIMEOUT", errors[0]!.Code());
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)); // the store saw its token cancelled
        var data = await client.QueryAsync("""{ organisation(id: "QT1") { id } }""");
        Assert.Equal("QT1", data["organisation"]!["id"]!.GetValue<string>());
    }

    /// <summary>An <see cref="IGraphStore"/> whose named method waits until its cancellation token fires.</summary>
    public class HangingStore : DispatchProxy
    {
        private IGraphStore _inner = null!;
        private string _method = "";
        private TaskCompletionSource _cancelled = null!;

        public static IGraphStore Wrap(IGraphStore inner, string method, TaskCompletionSource cancelled)
        {
            var proxy = Create<IGraphStore, HangingStore>();
            var hanging = (HangingStore)(object)proxy;
            (hanging._inner, hanging._method, hanging._cancelled) = (inner, method, cancelled);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name != _method)
            {
                return method.Invoke(_inner, args);
            }

            var token = args!.OfType<CancellationToken>().Single();
            var result = method.ReturnType.GetGenericArguments()[0];
            return typeof(HangingStore).GetMethod(nameof(HangAsync), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(result).Invoke(this, [token]);
        }

        private async Task<T> HangAsync<T>(CancellationToken token)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                _cancelled.TrySetResult();
                throw;
            }

            throw new InvalidOperationException("unreachable");
        }
    }
}
