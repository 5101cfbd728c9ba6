using GraphQL;
using GraphQL.Validation.Complexity;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrgGraph.Api.GraphQL;
using OrgGraph.Api.GraphQL.Loading;
using OrgGraph.Api.Http;
using OrgGraph.Api.Seeding;
using OrgGraph.Api.Storage;
using OrgGraph.Api.Writes;
using OrgGraph.Importing;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

// Structured logs to the console; levels and sinks can be changed in configuration (section Serilog).
builder.Services.AddSerilog((services, log) => log
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services)
    .Enrich.FromLogContext()
    .WriteTo.Console());

// The store: embedded SQLite (Storage:Sqlite:Path) by default, or Neo4j over its HTTP Query API (Storage:Provider=neo4j).
builder.Services.AddGraphStore(builder.Configuration);
builder.Services.AddSingleton<CsvImporter>();
builder.Services.AddSingleton<GraphImporter>();

// Seed an empty store from seed/ in the background; /readyz turns healthy when done.
builder.Services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section);
builder.Services.AddSingleton<SeedService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<SeedService>());
builder.Services.AddHealthChecks().AddCheck<SeedService>("seed", tags: ["ready"]);

// Writes (README, Writes): mutations need an API key (Auth:ApiKeys, no default); each is audited with the key id, time and sources.
builder.Services.AddGraphWrites();

// GraphQL: code-first schema, per-request batch loaders, limits on depth, complexity and time.
builder.Services.AddOptions<GraphQLOptions>().BindConfiguration(GraphQLOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddScoped<Loaders>();
builder.Services.AddGraphQL(graphql => graphql
    .AddSchema<OrgGraphSchema>()
    .AddGraphTypes(typeof(OrgGraphSchema).Assembly)
    .AddSystemTextJson()
    .AddErrorInfoProvider(errors => errors.ExposeExceptionDetails = false)
    .AddComplexityAnalyzer((complexity, services) =>
    {
        var limits = services.GetRequiredService<IOptions<GraphQLOptions>>().Value;
        complexity.MaxDepth = limits.MaxDepth;
        complexity.MaxComplexity = limits.MaxComplexity;
        // Introspection is free, so GraphiQL and schema tools work under tight limits. __typename costs like any
        // field: were it free, a fragment of aliased __typename spread over a list would multiply at no cost.
        var standard = complexity.DefaultComplexityImpactDelegate;
        complexity.DefaultComplexityImpactDelegate = field =>
            field.FieldDefinition.Name is "__schema" or "__type" || field.ParentType.Name.StartsWith("__", StringComparison.Ordinal)
                ? new FieldComplexityResult(0, 1)
                : standard(field);
    })
    .AddUnhandledExceptionHandler(context =>
    {
        // A commit landed mid-request after answers from memory: the store runs the request again (SqliteGraphStore.ReadCache.cs).
        if (context.OriginalException is not OrgGraph.Storage.Sqlite.SnapshotMovedException)
        {
            context.Context?.RequestServices?.GetRequiredService<ILogger<OrgGraphSchema>>()
                .LogError(context.OriginalException, "Unhandled error in GraphQL execution");
        }
    }));

// Performance (docs/benchmarks.md): a bounded cache of parsed and validated documents (GraphQL:DocumentCache).
builder.Services.AddGraphQLDocumentCache();

// Limits (docs/security.md): field count checked at parse (GraphQL:MaxFields), the persisted query allow-list
// (GraphQL:PersistedQueries, off by default), per-client rate limit of /graphql (RateLimit).
builder.Services.AddFieldCountLimit();
builder.Services.AddPersistedQueries();
builder.Services.AddGraphQLRateLimiting();
// Behind a reverse proxy (docs/security.md): X-Forwarded-For is read from ForwardedHeaders:KnownProxies/KnownNetworks only; off by default.
builder.Services.AddTrustedProxies();

var app = builder.Build();

if (args is ["import", .. var importArgs])
{
    return await ImportCommand.RunAsync(app.Services, importArgs, CancellationToken.None);
}

// Exports for Neo4j and graph tools (README, Exports): export --format F --out PATH [--query ...].
if (args is ["export", .. var exportArgs])
{
    return await OrgGraph.Api.Exporting.ExportCommand.RunAsync(app.Services, exportArgs, CancellationToken.None);
}

app.UseTrustedProxies(); // before anything that uses the client's address (request log, rate limiter)
app.UseSerilogRequestLogging(options =>
{
    // A 503 from /readyz while seeding or warming up is the answer a probe expects, not a server error.
    var standard = options.GetLevel;
    options.GetLevel = (http, elapsed, error) =>
        error is null && http.Request.Path == "/readyz" ? Serilog.Events.LogEventLevel.Debug : standard(http, elapsed, error);
});
app.UseExplorerSecurityHeaders(); // CSP and friends for /explorer and its assets (Http/ExplorerPage.cs)
app.UseStaticFiles();
app.UseRateLimiter(); // limits /graphql only (Http/RateLimiting.cs)
app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/readyz", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    // Degraded is "still seeding or warming up": not ready yet.
    ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
});
app.MapGraphQLHttp("/graphql");
// The explorer page for investigators (README, Explorer): search, paths and control chains drawn as a graph.
app.MapExplorer();
// Performance (docs/benchmarks.md): /bench/bare, mapped only when Benchmark:BareEndpoint is true.
app.MapBareBenchmarkEndpoint();
app.MapGet("/", () => Results.Redirect("/graphql"));

await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
