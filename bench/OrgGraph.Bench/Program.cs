using System.Runtime.InteropServices;
using OrgGraph.Bench;
using OrgGraph.Storage.Sqlite;

if (Options.Parse(args) is not { } options)
{
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

Report.Line($"OrgGraph.Bench {string.Join(' ', args)}");
Report.Line($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
    $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024 / 1024} GB available to the GC; {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");

Report.Line($"Code: {Git("rev-parse --short HEAD")} plus {Git("status --porcelain --untracked-files=no").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} modified tracked files; {Report.Load()}");

if (options.Modes.Overlaps(["seed", "cte", "http"]))
{
    await SeedInputs.EnsureSeedDatabaseAsync(options.SeedDatabase, options.SeedDirectory ?? SeedInputs.FindSeedDirectory());
    var store = new SqliteGraphStore(new SqliteOptions { Path = options.SeedDatabase });
    var started = System.Diagnostics.Stopwatch.StartNew();
    var g = await store.IndexAsync(CancellationToken.None);
    Report.Line($"Seed index: {g.NodeCount} nodes, {g.EdgeCount} relationships, built in {started.Elapsed.TotalMilliseconds:0} ms.");
    var inputs = SeedInputs.Choose(g);
    Report.Line($"Inputs: {inputs.Systems.Count} ICSs; {inputs.Controlled.Count} GP practices and trusts; {inputs.Pairs.Count} random pairs (and {inputs.PairsOnDate.Count} of nodes valid on {SeedInputs.AsOfText}).");

    if (options.Modes.Contains("seed"))
    {
        var (full, indexOnly) = await SeedBench.RunAsync(store, inputs, options);
        Report.Heading("### In-process store methods (seed)");
        Report.Table(full, new Dictionary<string, double>
        {
            ["privatisationPaths(ICS, asOf)"] = 2,
            ["privatisationPaths(ICS)"] = 2,
            ["whoControls(practice/trust, asOf)"] = 2,
            ["whoControls(practice/trust)"] = 2,
            ["connections(random pair, maxHops 8, first 10, asOf)"] = 5,
            ["connections(random pair, maxHops 8, first 10)"] = 5,
            ["connections(random pair, maxHops 8, first 1, asOf)"] = 5,
            ["connections(random pair, maxHops 8, first 1)"] = 5,
        });
        Report.Heading("### Index only (seed): the traversal without the SQLite evidence fetch");
        Report.Table(indexOnly);
    }

    if (options.Modes.Contains("cte"))
    {
        Report.Heading("### Recursive CTEs vs the index (seed)");
        await CteRun.RunAsync(store, inputs, options);
    }

    if (options.Modes.Contains("http"))
    {
        Report.Heading("### GraphQL over HTTP, one sequential client (seed)");
        await HttpBench.RunAsync(inputs, options);
    }
}

if (options.Modes.Contains("generated"))
{
    Report.Heading("### Generated graph");
    await GeneratedBench.RunAsync(options);
}

if (options.Modes.Contains("money"))
{
    await MoneyBench.RunAsync(options);
}

if (options.Modes.Contains("spend-import"))
{
    await SpendImportBench.RunAsync(options);
}

if (options.Modes.Contains("pathmoney"))
{
    await PathMoneyBench.RunAsync(options);
}

if (options.Output is { } output)
{
    await File.WriteAllLinesAsync(output, Report.Lines);
    Console.WriteLine($"Results written to {output}");
}

return 0;

static string Git(string arguments)
{
    try
    {
        using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return git.ExitCode == 0 ? output : "?";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "?";
    }
}
