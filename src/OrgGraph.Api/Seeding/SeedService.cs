using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrgGraph.Importing;
using OrgGraph.Storage;

namespace OrgGraph.Api.Seeding;

/// <summary>
/// Creates the schema and, when the store is empty, loads the seed with the same importer users run, then warms the
/// path index. Runs in the background so liveness answers at once; readiness waits for it.
/// </summary>
internal sealed class SeedService(IGraphStore store, GraphImporter importer, IOptions<SeedOptions> options, ILogger<SeedService> logger)
    : BackgroundService, IHealthCheck
{
    private volatile bool _ready;
    private volatile bool _failed;
    private volatile string _state = "starting";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The host runs ExecuteAsync inline until its first incomplete await, and reading the seed (spend files included)
        // is seconds of synchronous work: yield first, so that the host's start (and any start-up error) never waits for it.
        await Task.Yield();
        try
        {
            await store.InitializeAsync(stoppingToken);
            var counts = await store.CountAsync(stoppingToken);
            if (counts.Nodes == 0 && options.Value.OnStartup)
            {
                _state = "seeding";
                var started = TimeProvider.System.GetTimestamp();
                var (imported, report) = await importer.ImportAsync(options.Value.Path, stoppingToken);
                foreach (var note in report.Notes)
                {
                    logger.LogDebug("Seed import note: {Note}", note);
                }

                logger.LogInformation("Seeded {Nodes} nodes, {Relationships} relationships, {Facts} names/roles/aliases and {Sources} sources from {SeedPath} in {ElapsedMs:0} ms ({Notes} import notes at Debug level)",
                    imported.Nodes, imported.Relationships, imported.NodeFacts, imported.Sources, options.Value.Path,
                    TimeProvider.System.GetElapsedTime(started).TotalMilliseconds, report.Notes.Count);
            }
            else
            {
                logger.LogInformation("Store holds {Nodes} nodes, {Relationships} relationships and {Sources} sources; not seeding",
                    counts.Nodes, counts.Relationships, counts.Sources);
            }

            // Path queries answer from an index built on first use (the embedded store's GraphIndex); building it here keeps
            // the first path query after a start within its timeout, and readiness means every query answers at full speed.
            _state = "warming";
            var warming = TimeProvider.System.GetTimestamp();
            await store.StatsAsync(null, null, stoppingToken);
            logger.LogInformation("Path queries ready in {ElapsedMs:0} ms", TimeProvider.System.GetElapsedTime(warming).TotalMilliseconds);

            _state = "ready";
            _ready = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _state = "failed: " + e.Message;
            _failed = true;
            logger.LogCritical(e, "Store initialisation or seeding failed; the API will not become ready");
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready ? HealthCheckResult.Healthy("seeded")
            : _failed ? HealthCheckResult.Unhealthy(_state)
            : HealthCheckResult.Degraded(_state)); // still starting: /readyz answers 503 (Program.cs), logged as a warning, not an error
}
