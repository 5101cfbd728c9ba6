using Microsoft.Extensions.Options;
using OrgGraph.Api.GraphQL;
using OrgGraph.Api.Seeding;
using OrgGraph.Exporting;
using OrgGraph.Importing;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Api.Exporting;

/// <summary>
/// <c>export --format F --out PATH [--query ...]</c>: writes the configured store's graph, or the nodes and
/// relationships of a path query, for Neo4j or graph tools (README, Exports). An empty store is seeded first, as the
/// API does on start. Exit codes: 0 done, 1 the export failed (a traversal limit, a file that cannot be written),
/// 2 the arguments are wrong (usage, unknown organisation).
/// </summary>
internal static class ExportCommand
{
    public static Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken cancellationToken) =>
        RunAsync(services, args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var limits = services.GetRequiredService<IOptions<GraphQLOptions>>().Value;
        if (!ExportArguments.TryParse(args, limits.MaxHops, limits.MaxPathResults, out var request, out var problem))
        {
            await error.WriteLineAsync($"export: {problem}");
            await error.WriteLineAsync(ExportArguments.Usage);
            return 2;
        }

        var store = services.GetRequiredService<IGraphStore>();
        await store.InitializeAsync(cancellationToken);
        try
        {
            await SeedIfEmptyAsync(services, store, error, cancellationToken);
        }
        catch (ImportException e)
        {
            await error.WriteLineAsync($"export: seeding the empty store failed: {e.Message}");
            return 1;
        }

        var selection = ExportSelection.WholeGraph;
        if (request!.Query is { } query)
        {
            var ids = new[] { request.Id!, request.To }.OfType<string>().ToList();
            var resolved = await store.ResolveAsync(ids, cancellationToken);
            if (ids.FirstOrDefault(id => !resolved.ContainsKey(id)) is { } unknown)
            {
                await error.WriteLineAsync($"export: no organisation has the id or alias '{unknown}'");
                return 2;
            }

            var (from, to) = (resolved[request.Id!], request.To is null ? null : resolved[request.To]);
            if (from == to)
            {
                await error.WriteLineAsync($"export: --to '{request.To}' is the same organisation as --from '{request.Id}'");
                return 2;
            }

            try
            {
                var paths = await RunQueryAsync(store, query, from, to, request, cancellationToken);
                selection = ExportSelection.FromPaths(paths, Describe(request, paths.Count));
            }
            catch (TraversalLimitException e)
            {
                await error.WriteLineAsync($"export: {e.Message}");
                return 1;
            }
        }

        try
        {
            var summary = await new GraphExporter(store).ExportAsync(request.Format, request.Out, selection, cancellationToken);
            await output.WriteLineAsync(
                $"Exported {selection.Description}: {summary.Nodes} organisations, {summary.Relationships} relationships, " +
                $"{summary.Facts} names/roles/aliases and {summary.Sources} sources as {ExportFormats.Name(request.Format)} to:");
            foreach (var file in summary.Files)
            {
                await output.WriteLineAsync("  " + file);
            }

            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"export: cannot write {request.Out}: {e.Message}");
            return 1;
        }
    }

    private static Task<IReadOnlyList<GraphPath>> RunQueryAsync(IGraphStore store, ExportQuery query, string id, string? to, ExportArguments request,
        CancellationToken cancellationToken)
    {
        var q = new TraversalQuery { AsOf = request.AsOf, MaxHops = request.MaxHops };
        return query switch
        {
            ExportQuery.WhoControls => store.WhoControlsAsync(id, q, cancellationToken),
            ExportQuery.ControlledBy => store.ControlledByAsync(id, q with { First = request.First }, cancellationToken),
            ExportQuery.PrivatisationPaths => store.PrivatisationPathsAsync(id, q with { First = request.First }, cancellationToken),
            ExportQuery.Connections => store.ConnectionsAsync(id, to!, q with { First = request.First }, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query, null),
        };
    }

    private static string Describe(ExportArguments request, int paths)
    {
        var query = ExportArguments.QueryName(request.Query!.Value);
        var target = request.To is null ? $"{request.Id}" : $"{request.Id} to {request.To}";
        var asOf = request.AsOf is { } d ? $", asOf {d:yyyy-MM-dd}" : "";
        var first = request.Query == ExportQuery.WhoControls ? "" : $", first {request.First}";
        return $"the nodes and relationships of {query} from {target}{asOf}, maxHops {request.MaxHops}{first} ({paths} path{(paths == 1 ? "" : "s")})";
    }

    private static async Task SeedIfEmptyAsync(IServiceProvider services, IGraphStore store, TextWriter error, CancellationToken cancellationToken)
    {
        var seed = services.GetRequiredService<IOptions<SeedOptions>>().Value;
        if (!seed.OnStartup || (await store.CountAsync(cancellationToken)).Nodes > 0)
        {
            return;
        }

        await error.WriteLineAsync($"The store is empty: seeding it from {seed.Path} first, as the API does on start.");
        await services.GetRequiredService<GraphImporter>().ImportAsync(seed.Path, cancellationToken);
    }
}
