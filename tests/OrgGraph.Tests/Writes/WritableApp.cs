using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Tests.Support;
using Serilog.Core;
using Serilog.Events;

namespace OrgGraph.Tests.Writes;

/// <summary>A clock stopped at one instant, so the times the audit trail records can be asserted.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Every log event the app writes ([level] message, properties, exception), for "never logged" checks.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<string> _events = new();

    public void Emit(LogEvent logEvent)
    {
        var text = new StringWriter();
        text.Write($"[{logEvent.Level}] ");
        logEvent.RenderMessage(text);
        foreach (var (name, value) in logEvent.Properties)
        {
            text.Write($" {name}={value}");
        }

        text.Write(logEvent.Exception);
        _events.Enqueue(text.ToString());
    }

    public int Count => _events.Count;

    public string All => string.Join("\n", _events);
}

/// <summary>
/// The seeded API with two API keys configured, a fixed clock and captured logs (at Debug), on its own copy of the seed
/// template — one per test class, since writes change it. Rate limiting is off so the tests' request counts do not matter.
/// </summary>
public sealed class WritableApp : IAsyncLifetime
{
    public const string KeyId = "newsroom";
    public const string Key = "nr-5f0c8b2e9d7a4163b1e2";
    public const string OtherKeyId = "analysts";
    public const string OtherKey = "an-7d1e4a9c03b58f26e4d1c0a9b8f7e6d5";
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private WebApplicationFactory<Program> _factory = null!;

    public OrgGraphApp App { get; } = new(
        ("Auth:ApiKeys:0:Id", KeyId),
        ("Auth:ApiKeys:0:Key", Key),
        ("Auth:ApiKeys:1:Id", OtherKeyId),
        ("Auth:ApiKeys:1:Key", OtherKey),
        ("RateLimit:Enabled", "false"),
        ("Serilog:MinimumLevel:Default", "Debug"),
        ("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Debug"));

    public CapturedLogs Logs { get; } = new();

    /// <summary>A client that sends no key.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>A client that sends <see cref="Key"/> as a bearer token.</summary>
    public HttpClient Writer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        File.Copy(await SeededApp.TemplateAsync(), App.DatabasePath);
        _factory = App.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(new FixedTimeProvider(Now));
            services.AddSingleton<ILogEventSink>(Logs);
        }));
        Anonymous = await ReadyAsync(_factory.CreateClient());
        Writer = Client(("Authorization", "Bearer " + Key));
    }

    /// <summary>A client that sends these headers with every request.</summary>
    public HttpClient Client(params (string Name, string Value)[] headers)
    {
        var client = _factory.CreateClient();
        foreach (var (name, value) in headers)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        return client;
    }

    /// <summary>How many organisations and audited changes the API reports.</summary>
    public async Task<(int Organisations, int Changes)> CountAsync()
    {
        var data = await Anonymous.QueryAsync("{ organisations(first: 0) { totalCount } changes(first: 1000) { id } }");
        return (data["organisations"]!["totalCount"]!.GetValue<int>(), data["changes"]!.AsArray().Count);
    }

    private static async Task<HttpClient> ReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await client.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the app did not become ready");
            }

            await Task.Delay(50);
        }

        return client;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>GraphQL documents and helpers shared by the write tests.</summary>
public static class Writes
{
    public const string UpsertOrganisation = """
        mutation($input: OrganisationInput!) {
          upsertOrganisation(input: $input) { id name kind sector validFrom validTo confidence properties { key value } sources { id title url } }
        }
        """;

    public static object Organisation(string id, string name = "Test Health Ltd", string url = "https://example.org/test-health", string? validFrom = "2020-01-01", string? validTo = null) =>
        new { input = new { id, name, kind = "COMPANY", sector = "PRIVATE", validFrom, validTo, sourceUrls = new[] { url } } };

    public static async Task<JsonObject?> OrganisationAsync(this HttpClient client, string id) =>
        (await client.QueryAsync("query($id: ID!) { organisation(id: $id) { id name kind validFrom validTo sources { id url title } } }", new { id }))["organisation"] as JsonObject;
}
