using System.Diagnostics;
using OrgGraph.Api.Exporting;
using OrgGraph.Exporting;
using OrgGraph.Model;
using OrgGraph.Storage;
using OrgGraph.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace OrgGraph.Tests.Exporting;

/// <summary><c>export</c> on the command line: its arguments, its errors, and whole runs (in process and as the real program).</summary>
public sealed class ExportCommandTests(SeededApp seeded) : IClassFixture<SeededApp>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-export-cli-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Arguments_WholeGraph()
    {
        var parsed = Parse("--format=GEXF", "--out", "graph.gexf");

        // A relative --out is taken from the shell's directory ($PWD), not the one dotnet run starts the program in.
        Assert.Equal(new ExportArguments { Format = ExportFormat.Gexf, Out = Path.GetFullPath("graph.gexf", Environment.GetEnvironmentVariable("PWD") ?? Directory.GetCurrentDirectory()) }, parsed);
    }

    [Fact]
    public void Arguments_PathQuery_HasTheGraphQLDefaults()
    {
        var parsed = Parse("--format", "cypher", "--out", "x.cypher", "--query", "privatisationPaths", "--from", "QMJ", "--asOf", "2022-06-01");

        Assert.Equal((ExportQuery.PrivatisationPaths, "QMJ", new DateOnly(2022, 6, 1), 8, 25), (parsed.Query, parsed.Id, parsed.AsOf, parsed.MaxHops, parsed.First));
        Assert.Equal(100, Parse("--format", "cypher", "--out", "x", "--query", "controlledBy", "--id", "A").First);
        Assert.Equal((3, 5), (Parse("--format", "cypher", "--out", "x", "--query", "connections", "--from", "A", "--to", "B", "--maxHops", "3", "--first", "5") is var c ? (c.MaxHops, c.First) : default));
    }

    [Theory]
    [InlineData("", "--format is required")]
    [InlineData("--format csv --out x", "unknown format 'csv' (expected neo4j-admin, cypher, graphml, gexf)")]
    [InlineData("--format cypher", "--out is required")]
    [InlineData("--format cypher --out", "--out needs a value")]
    [InlineData("--format cypher --format gexf --out x", "--format is given twice")]
    [InlineData("--format cypher --out x --bogus 1", "unknown option '--bogus'")]
    [InlineData("--format cypher --out x stray", "unexpected argument 'stray'")]
    [InlineData("--format cypher --out x --id QMJ", "--id needs --query")]
    [InlineData("--format cypher --out x --query whoKnows --id QMJ", "unknown query 'whoKnows'")]
    [InlineData("--format cypher --out x --query whoControls", "whoControls needs --id")]
    [InlineData("--format cypher --out x --query privatisationPaths", "privatisationPaths needs --from")]
    [InlineData("--format cypher --out x --query whoControls --id A --from B", "give --id or --from, not both")]
    [InlineData("--format cypher --out x --query connections --from A", "connections needs --to")]
    [InlineData("--format cypher --out x --query controlledBy --id A --to B", "--to is only for connections")]
    [InlineData("--format cypher --out x --query whoControls --id A --first 3", "--first is not used by whoControls")]
    [InlineData("--format cypher --out x --query controlledBy --id A --maxHops 11", "--maxHops 11 is over the limit of 10")]
    [InlineData("--format cypher --out x --query controlledBy --id A --first 0", "--first '0' must be a whole number of at least 1")]
    [InlineData("--format cypher --out x --query controlledBy --id A --asOf 2022-13-01", "--asOf '2022-13-01' is not a date (YYYY-MM-DD)")]
    public async Task Arguments_Wrong_AreAUsageError(string args, string message)
    {
        var argv = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.False(ExportArguments.TryParse(argv, 10, 100, out _, out var error));
        Assert.StartsWith(message, error);

        var (code, _, stderr) = await RunAsync(argv);
        Assert.Equal(2, code);
        Assert.Contains($"export: {error}", stderr);
        Assert.Contains("usage: OrgGraph.Api export --format neo4j-admin|cypher|graphml|gexf --out PATH", stderr);
    }

    [Fact]
    public async Task Run_UnknownOrganisation_IsAUsageError()
    {
        var (code, _, stderr) = await RunAsync("--format", "graphml", "--out", Path.Combine(_work, "x.graphml"), "--query", "whoControls", "--id", "NO-SUCH-ORG");

        Assert.Equal(2, code);
        Assert.Contains("no organisation has the id or alias 'NO-SUCH-ORG'", stderr);
        Assert.False(File.Exists(Path.Combine(_work, "x.graphml")));
    }

    [Fact]
    public async Task Run_PathQuery_ExportsItsPaths()
    {
        var store = seeded.App.Services.GetRequiredService<IGraphStore>();
        var paths = await store.PrivatisationPathsAsync("QMJ", new TraversalQuery { AsOf = new DateOnly(2022, 6, 1), First = 25 }, CancellationToken.None);

        // An alias works as well as an id; an existing directory gets the default file name.
        var (code, stdout, stderr) = await RunAsync("--format", "graphml", "--out", _work, "--query", "privatisationPaths", "--from", "E54000028", "--asOf", "2022-06-01");

        Assert.True(code == 0, stderr);
        var file = Path.Combine(_work, "orggraph.graphml");
        Assert.Contains(file, stdout);
        Assert.Contains($"privatisationPaths from E54000028, asOf 2022-06-01, maxHops 8, first 25 ({paths.Count} paths)", stdout);
        var graph = ExportReader.Read(ExportFormat.GraphML, file);
        Assert.Equal(paths.SelectMany(p => p.Nodes).ToHashSet().Order(StringComparer.Ordinal), graph.Nodes.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Program_Export_RunsEndToEnd()
    {
        // The real program, as `dotnet run --project src/OrgGraph.Api -- export ...` runs it, on a copy of the seeded database.
        var database = Path.Combine(_work, "copy.db");
        File.Copy(seeded.App.DatabasePath, database);
        var output = Path.Combine(_work, "neo4j");

        var (code, stdout, stderr) = await RunProgramAsync(database, "export", "--format", "neo4j-admin", "--out", output);

        Assert.True(code == 0, stderr);
        Assert.Contains("Exported the whole graph: ", stdout);
        var counts = await seeded.App.Services.GetRequiredService<IGraphStore>().CountAsync(CancellationToken.None);
        var graph = ExportReader.Read(ExportFormat.Neo4jAdmin, output);
        Assert.Equal((counts.Nodes, counts.Relationships, counts.Sources), (graph.Nodes.Count, graph.Edges.Count, graph.Sources.Count));

        var (badCode, _, badError) = await RunProgramAsync(database, "export", "--format", "dot", "--out", output);
        Assert.Equal(2, badCode);
        Assert.Contains("unknown format 'dot'", badError);
    }

    private static ExportArguments Parse(params string[] args)
    {
        Assert.True(ExportArguments.TryParse(args, 10, 100, out var parsed, out var error), error);
        return parsed!;
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await ExportCommand.RunAsync(seeded.App.Services, args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunProgramAsync(string database, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrgGraph.Api.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Storage__Sqlite__Path"] = database;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
