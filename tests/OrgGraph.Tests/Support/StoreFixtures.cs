namespace OrgGraph.Tests.Support;

/// <summary>
/// A seeded API on one store, for the conformance scenarios: the same tests run on the embedded store always
/// (<see cref="SeededApp"/>) and on Neo4j when <c>ORGGRAPH_TEST_NEO4J_URI</c> is set (<see cref="Neo4jSeededApp"/>).
/// </summary>
public interface IStoreFixture : IAsyncLifetime
{
    /// <summary>A client of the seeded API; skips the calling test when the store is not configured.</summary>
    HttpClient Client { get; }

    /// <summary>A SQLite file holding the same seed, for expectations computed independently of the API.</summary>
    string OracleDatabasePath { get; }
}

/// <summary>
/// The API over Neo4j's Query API, seeded on first start like the embedded store. Configure with
/// <c>ORGGRAPH_TEST_NEO4J_URI</c> (e.g. http://localhost:7474), <c>ORGGRAPH_TEST_NEO4J_USER</c>,
/// <c>ORGGRAPH_TEST_NEO4J_PASSWORD</c> and optionally <c>ORGGRAPH_TEST_NEO4J_DATABASE</c>; without them every
/// scenario on this fixture is reported as skipped.
/// </summary>
public sealed class Neo4jSeededApp : IStoreFixture
{
    private static readonly string? Uri = Environment.GetEnvironmentVariable("ORGGRAPH_TEST_NEO4J_URI");

    private OrgGraphApp? _app;
    private HttpClient? _client;
    private string? _oracle;

    public HttpClient Client => Configured(_client!);

    public string OracleDatabasePath => Configured(_oracle!);

    public async Task InitializeAsync()
    {
        if (Uri is null)
        {
            return;
        }

        _oracle = await SeededApp.TemplateAsync();
        _app = new OrgGraphApp(
            ("Storage:Provider", "neo4j"),
            ("Storage:Neo4j:Uri", Uri),
            ("Storage:Neo4j:User", Environment.GetEnvironmentVariable("ORGGRAPH_TEST_NEO4J_USER") ?? "neo4j"),
            ("Storage:Neo4j:Password", Environment.GetEnvironmentVariable("ORGGRAPH_TEST_NEO4J_PASSWORD")),
            ("Storage:Neo4j:Database", Environment.GetEnvironmentVariable("ORGGRAPH_TEST_NEO4J_DATABASE") ?? "neo4j"));
        _client = await _app.ReadyClientAsync(TimeSpan.FromMinutes(15));
    }

    private static T Configured<T>(T value)
    {
        Skip.If(Uri is null, "ORGGRAPH_TEST_NEO4J_URI is not set (see README: conformance tests on Neo4j)");
        return value;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
