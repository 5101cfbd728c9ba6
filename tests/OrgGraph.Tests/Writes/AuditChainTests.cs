using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;
using static OrgGraph.Tests.Writes.Writes;

namespace OrgGraph.Tests.Writes;

/// <summary>
/// Two instances of the API on one database file (as two processes behind a load balancer would be) upsert one
/// organisation at the same time. Each write reads the record it replaces inside its own write transaction, so the
/// audit trail is one chain — every write's "before" is the previous write's "after" — and no write's source is lost.
/// </summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private const int Writes = 24;

    private readonly OrgGraphApp _first = new(Settings());
    private OrgGraphApp _second = null!;
    private HttpClient _a = null!;
    private HttpClient _b = null!;

    private static (string, string?)[] Settings(params (string, string?)[] more) =>
        [("Auth:ApiKeys:0:Id", WritableApp.KeyId), ("Auth:ApiKeys:0:Key", WritableApp.Key), .. more];

    public async Task InitializeAsync()
    {
        File.Copy(await SeededApp.TemplateAsync(), _first.DatabasePath);
        _second = new OrgGraphApp(Settings(("Storage:Sqlite:Path", _first.DatabasePath)));
        _a = await _first.ReadyClientAsync();
        _b = await _second.ReadyClientAsync();
        foreach (var client in new[] { _a, _b })
        {
            client.DefaultRequestHeaders.Add("Authorization", "Bearer " + WritableApp.Key);
        }
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task ConcurrentUpserts_FromTwoInstances_FormOneAuditChain_AndLoseNoSource()
    {
        await _a.QueryAsync(UpsertOrganisation, Organisation("chain-ltd", name: "Chain 0", url: "https://example.org/chain/0"));

        await Task.WhenAll(Enumerable.Range(1, Writes).Select(i =>
            (i % 2 == 0 ? _a : _b).QueryAsync(UpsertOrganisation, Organisation("chain-ltd", name: $"Chain {i}", url: $"https://example.org/chain/{i}"))));

        var changes = (await _a.QueryAsync("""{ changes(id: "chain-ltd", first: 100) { before after } }"""))["changes"]!.AsArray().Reverse().ToList();
        Assert.Equal(Writes + 1, changes.Count);
        Assert.Null(changes[0]!["before"]);
        for (var i = 1; i < changes.Count; i++)
        {
            var previousAfter = JsonNode.Parse(changes[i - 1]!["after"]!.GetValue<string>());
            var before = JsonNode.Parse(changes[i]!["before"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(previousAfter, before), $"write {i}'s before is not write {i - 1}'s after:\n{before}\n{previousAfter}");
        }

        var stored = (await _b.OrganisationAsync("chain-ltd"))!;
        var last = JsonNode.Parse(changes[^1]!["after"]!.GetValue<string>())!;
        Assert.Equal(last["name"]!.GetValue<string>(), stored["name"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(0, Writes + 1).Select(i => $"https://example.org/chain/{i}").Order(StringComparer.Ordinal),
            stored["sources"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }
}
