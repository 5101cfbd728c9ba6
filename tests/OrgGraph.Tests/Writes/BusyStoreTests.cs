using System.Diagnostics;
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
/// writes nothing.
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
