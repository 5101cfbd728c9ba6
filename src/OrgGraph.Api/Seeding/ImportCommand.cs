using OrgGraph.Importing;
using OrgGraph.Storage;

namespace OrgGraph.Api.Seeding;

/// <summary><c>import DIR</c>: loads a seed directory (manifest of official files) or a directory of CSV files (docs/csv-format.md) into the configured store.</summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken cancellationToken)
    {
        if (args.Length != 1)
        {
            await Console.Error.WriteLineAsync("usage: OrgGraph.Api import DIRECTORY");
            return 2;
        }

        var store = services.GetRequiredService<IGraphStore>();
        await store.InitializeAsync(cancellationToken);
        try
        {
            var (counts, report) = await services.GetRequiredService<GraphImporter>().ImportAsync(CommandLinePath.Resolve(args[0]), cancellationToken);
            if (report.Notes.Count > 0)
            {
                Console.WriteLine($"Import report ({report.Notes.Count} notes: where the files disagree, leave gaps, or facts were derived):");
                Console.WriteLine(report);
            }

            Console.WriteLine($"Imported {counts.Nodes} nodes, {counts.Relationships} relationships, {counts.NodeFacts} names/roles/aliases and {counts.Sources} sources from {args[0]}.");
            return 0;
        }
        catch (ImportException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (StoreBusyException e)
        {
            // Another process (an import) held the store for longer than Storage:Sqlite:BusyTimeout; nothing was written.
            await Console.Error.WriteLineAsync(e.Message);
            return 3;
        }
    }
}
