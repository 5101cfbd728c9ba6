using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Tests.Support;
using Serilog.Core;
using static OrgGraph.Tests.Writes.Writes;

namespace OrgGraph.Tests.Writes;

/// <summary>
/// Writes through the API while another process holds the store's write lock (here a connection of its own that has
/// begun a write, as the import command does): the write waits without blocking, then is refused with STORE_BUSY and
/// writes nothing; and a client that gives up meanwhile is logged as such, not as a server error.
/// </summary>
public sealed class BusyStoreTests : IAsyncLifetime
{
    private readonly OrgGraphApp _app = new(
        ("Auth:ApiKeys:0:Id", WritableApp.KeyId),
        ("Auth:ApiKeys:0:Key", WritableApp.Key),
        ("Storage:Sqlite:BusyTimeout", "00:00:01"),
        ("Serilog:MinimumLevel:Default", "Debug"),
        ("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Debug"));

    private readonly CapturedLogs _logs = new();
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _writer = null!;

    public async Task InitializeAsync()
    {
        File.Copy(await SeededApp.TemplateAsync(), _app.DatabasePath);
        _factory = _app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(_logs)));
        _writer = _factory.CreateClient();
        _writer.DefaultRequestHeaders.Add("Authorization", "Bearer " + WritableApp.Key);
        await ReadyAsync(_writer);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Write_WhileAnotherProcessHoldsTheStore_IsStoreBusyAfterTheBusyTimeout_AndWritesNothing()
    {
        var before = await SqliteSnapshot.TakeAsync(_app.DatabasePath);
        await using (await HoldWriteLockAsync())
        {
            var clock = Stopwatch.StartNew();
            var (_, errors) = await _writer.FailAsync(UpsertOrganisation, Organisation("busy-store-ltd"));

            Assert.Equal("STORE_BUSY", errors[0]!.Code());
            Assert.Contains("Nothing was written", errors[0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.DoesNotContain(_app.DatabasePath, errors.ToJsonString(), StringComparison.Ordinal);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        }

        Assert.Equal(before, await SqliteSnapshot.TakeAsync(_app.DatabasePath));
        await _writer.QueryAsync(UpsertOrganisation, Organisation("busy-store-ltd"));
        Assert.NotNull(await _writer.OrganisationAsync("busy-store-ltd"));
    }

    [Fact]
    public async Task ClientGivingUpOnAWaitingWrite_IsLoggedAsClosedByTheClient_NotAsAServerError()
    {
        await using (await HoldWriteLockAsync())
        {
            using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = JsonContent.Create(new { query = UpsertOrganisation, variables = Organisation("impatient-client-ltd") }),
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _writer.SendAsync(request, giveUp.Token));

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!_logs.All.Contains("The client closed the request", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        var logs = _logs.All;
        Assert.Contains("[Information] The client closed the request \"POST\" \"/graphql\"", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("[Error]", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("[Fatal]", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("responded 500", logs, StringComparison.Ordinal);
        Assert.Contains("responded 499", logs, StringComparison.Ordinal);
    }

    /// <summary>A connection of its own that has begun a write and holds SQLite's write lock until disposed.</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task ReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await client.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
