using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OrgGraph.Tests.Support;

/// <summary>
/// The real API (HTTP → GraphQL → store → SQLite) on its own temporary database file, seeded from the
/// real seed/ the way a fresh clone seeds itself. Disposing deletes the file.
/// </summary>
public sealed class OrgGraphApp : WebApplicationFactory<Program>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orggraph-test-").FullName;
    private readonly Dictionary<string, string?> _settings = new();

    public OrgGraphApp(params (string Key, string? Value)[] settings)
    {
        _settings["Storage:Sqlite:Path"] = DatabasePath;
        _settings["Serilog:MinimumLevel:Default"] = "Warning";
        // Tests fire requests faster than any client may (all from one partition: TestServer has no remote IP);
        // the rate limit has its own tests, which turn it on (Http/RateLimitingTests.cs).
        _settings["RateLimit:Enabled"] = "false";
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public string DatabasePath => Path.Combine(_directory, "orggraph.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client for a started app whose seeding has finished (polls /readyz).</summary>
    public async Task<HttpClient> ReadyClientAsync(TimeSpan? wait = null)
    {
        var client = CreateClient();
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromMinutes(2));
        while ((await client.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the app did not become ready (seeding failed?)");
            }

            await Task.Delay(50);
        }

        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Sends GraphQL requests the way a dashboard would and reads the JSON answer.</summary>
public static class GraphQLClient
{
    public static async Task<JsonObject> QueryAsync(this HttpClient client, string query, object? variables = null)
    {
        var (status, body) = await PostAsync(client, query, variables);
        Assert.True(status == System.Net.HttpStatusCode.OK, $"HTTP {(int)status}: {body}");
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.True(json["errors"] is null, $"unexpected errors: {json["errors"]}");
        return json["data"]!.AsObject();
    }

    public static async Task<(System.Net.HttpStatusCode Status, string Body)> PostAsync(this HttpClient client, string query, object? variables = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The errors of an answer that must have failed, with their codes.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, JsonArray Errors)> FailAsync(this HttpClient client, string query, object? variables = null)
    {
        var (status, body) = await PostAsync(client, query, variables);
        var errors = JsonNode.Parse(body)!["errors"]?.AsArray();
        Assert.True(errors is { Count: > 0 }, $"expected errors, got {body}");
        return (status, errors!);
    }

    public static string? Code(this JsonNode error) => error["extensions"]?["code"]?.GetValue<string>();
}

/// <summary>
/// One seeded app shared by the read-only tests of a class. The seed is imported once per test run, by a
/// real app, into a template database; each fixture starts from a copy of it, so classes stay independent.
/// </summary>
public sealed class SeededApp : IStoreFixture
{
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    public OrgGraphApp App { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public string OracleDatabasePath => App.DatabasePath;

    /// <summary>The seed imported once per test run into a SQLite file (also the oracle for other stores' scenarios).</summary>
    public static Task<string> TemplateAsync() => Template.Value;

    public async Task InitializeAsync()
    {
        File.Copy(await Template.Value, App.DatabasePath);
        Client = await App.ReadyClientAsync();
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var seeding = new OrgGraphApp();
        await using (seeding)
        {
            await seeding.ReadyClientAsync();
            var template = Path.Combine(Path.GetTempPath(), $"orggraph-template-{Environment.ProcessId}.db");
            await using var source = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={seeding.DatabasePath}");
            await source.OpenAsync();
            await using var command = source.CreateCommand();
            command.CommandText = "VACUUM INTO $path";
            command.Parameters.AddWithValue("$path", template);
            File.Delete(template);
            await command.ExecuteNonQueryAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(template);
            return template;
        }
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Paths of the repository (for schema.graphql and the official files in seed/).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Seed => Path.Combine(AppContext.BaseDirectory, "seed");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrgGraph.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OrgGraph.sln not found above " + AppContext.BaseDirectory);
    }
}
