using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OrgGraph.Model;
using OrgGraph.Storage;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Durability;

/// <summary>
/// Readers during an import see the old graph or the new one, never a mix. Round after round, one batch renames 200
/// GP practices (name and a dated name record), adds a practice, and adds an owner of one of them while re-stamping
/// all its ownership relationships with the round; readers over HTTP check, in every answer, that all of it is of one
/// round: names, name records and total count of a list, and the topology and evidence of a control chain.
/// </summary>
public sealed partial class ReadersDuringImportTests : IAsyncLifetime
{
    private const int Renamed = 200;
    private const int Rounds = 12;
    private const int PausedRound = 5;
    private const string ListQuery = """{ organisations(kind: [GP_PRACTICE], first: 200) { totalCount nodes { id name names { name } } } }""";
    private const string ChainQuery = """query($id: ID!) { whoControls(id: $id, kinds: [OWNERSHIP]) { controller { id } steps { properties { key value } } } }""";

    // Generous time limits and no rate limit: the test is about what answers contain, on a machine that may be busy.
    private readonly OrgGraphApp _app = new(("GraphQL:Timeout", "00:01:00"), ("GraphQL:TraversalTimeout", "00:01:00"), ("RateLimit:Enabled", "false"));
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        File.Copy(await SeededApp.TemplateAsync(), _app.DatabasePath);
        _client = await _app.ReadyClientAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Readers_DuringImports_SeeWholeRoundsOnly()
    {
        var store = (SqliteGraphStore)_app.Services.GetRequiredService<IGraphStore>();
        var page = await store.FindNodesAsync(new NodeQuery { Kinds = [OrgKind.GpPractice], First = Renamed }, CancellationToken.None);
        var practices = page.Nodes;
        var owned = practices[0].Id;
        var client = _client;

        // What a reader sees: (round of the list, round of the chain); throws on an answer mixing rounds.
        async Task<int> ReadListAsync()
        {
            var data = await client.QueryAsync(ListQuery);
            var nodes = data["organisations"]!["nodes"]!.AsArray();
            var rounds = nodes.Select(n => RoundOf(n!["name"]!.GetValue<string>())).Distinct().ToList();
            Assert.True(rounds.Count == 1, $"names of several rounds in one answer: {string.Join(", ", rounds)}");
            var round = rounds[0];
            foreach (var node in nodes)
            {
                var records = node!["names"]!.AsArray().Select(r => RoundOf(r!["name"]!.GetValue<string>())).Where(r => r > 0).Order().ToList();
                Assert.True(records.SequenceEqual(Enumerable.Range(1, round)), $"round {round} name with name records of rounds [{string.Join(", ", records)}]");
            }

            Assert.Equal(page.TotalCount + round, data["organisations"]!["totalCount"]!.GetValue<int>());
            return round;
        }

        async Task<int> ReadChainAsync()
        {
            var data = await client.QueryAsync(ChainQuery, new { id = owned });
            var chains = data["whoControls"]!.AsArray();
            var owners = chains.Count(c => c!["controller"]!["id"]!.GetValue<string>().StartsWith("ZZOWN-", StringComparison.Ordinal));
            var stamps = chains.SelectMany(c => c!["steps"]!.AsArray()).SelectMany(s => s!["properties"]!.AsArray())
                .Where(p => p!["key"]!.GetValue<string>() == "round").Select(p => int.Parse(p!["value"]!.ToString(), CultureInfo.InvariantCulture)).Distinct().ToList();
            Assert.True(stamps.Count == 0 ? owners == 0 : stamps.Count == 1 && stamps[0] == owners,
                $"{owners} owners (topology) with relationships stamped with rounds [{string.Join(", ", stamps)}] (evidence)");
            return owners;
        }

        Assert.Equal(0, await ReadListAsync());
        Assert.Equal(0, await ReadChainAsync());

        var failures = new ConcurrentQueue<string>();
        var reads = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var last = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var round = i % 2 == 0 ? await ReadListAsync() : await ReadChainAsync();
                    Assert.True(round >= last, $"round {round} read after round {last}");
                    last = round;
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    failures.Enqueue(e.Message);
                }

                Interlocked.Increment(ref reads);
            }
        })).ToList();

        for (var round = 1; round <= Rounds; round++)
        {
            var readsBefore = Volatile.Read(ref reads);
            if (round == PausedRound)
            {
                // While the transaction holds every row of the round but has not committed, readers see the round before.
                var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                store.BeforeCommit = async ct =>
                {
                    paused.TrySetResult();
                    await release.Task.WaitAsync(ct);
                };
                var write = store.UpsertAsync(Batch(practices, owned, round), CancellationToken.None);
                await paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(round - 1, await ReadListAsync());
                Assert.Equal(round - 1, await ReadChainAsync());
                release.SetResult();
                await write;
                store.BeforeCommit = _ => Task.CompletedTask;
                Assert.Equal(round, await ReadListAsync());
                Assert.Equal(round, await ReadChainAsync());
            }
            else
            {
                await store.UpsertAsync(Batch(practices, owned, round), CancellationToken.None);
            }

            // Let readers run between every two writes (however slow the machine), so reads straddle each commit.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Volatile.Read(ref reads) < readsBefore + 4 && !readers.Any(r => r.IsCompleted))
            {
                Assert.True(DateTime.UtcNow < deadline, "the readers stopped reading");
                await Task.Delay(5);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(failures.IsEmpty, $"{failures.Count} answers mixed rounds or failed, e.g.:\n{string.Join("\n", failures.Take(3))}");
        Assert.True(reads >= 4 * Rounds, $"only {reads} reads ran alongside the imports");
        Assert.Equal(Rounds, await ReadListAsync());
        Assert.Equal(Rounds, await ReadChainAsync());
    }

    private static GraphBatch Batch(IReadOnlyList<Node> practices, string owned, int round)
    {
        var source = new Source { Id = "readers-during-import", Title = "Readers during import" };
        var renamed = practices.Select(p => p with { Name = $"{p.Name} [round {round}]", SourceIds = [source.Id] }).ToList();
        return new GraphBatch
        {
            Sources = [source],
            Nodes =
            [
                .. renamed,
                new Node { Id = $"ZZDUR-{round:D3}", Name = $"Practice added in round {round}", Kind = OrgKind.GpPractice, Sector = Sector.Public, SourceIds = [source.Id] },
                new Node { Id = $"ZZOWN-{round:D3}", Name = $"Owner added in round {round}", Kind = OrgKind.Company, Sector = Sector.Private, SourceIds = [source.Id] },
            ],
            NodeFacts = [.. renamed.Select(n => (n.Id, NodeFactKind.Name, new DatedValue
            {
                Value = n.Name,
                ValidFrom = new DateOnly(2030, 1, 1).AddDays(round),
                ValidTo = new DateOnly(2030, 1, 1).AddDays(round),
                SourceIds = [source.Id],
            }))],
            Relationships = [.. Enumerable.Range(1, round).Select(owner => new Relationship
            {
                Type = RelationshipType.OwnedBy,
                From = owned,
                To = $"ZZOWN-{owner:D3}",
                SourceIds = [source.Id],
                Properties = $$"""{"share":100,"round":{{round}}}""",
            })],
        };
    }

    private static int RoundOf(string name) => RoundPattern().Match(name) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"\[round (\d+)\]$")]
    private static partial Regex RoundPattern();
}
