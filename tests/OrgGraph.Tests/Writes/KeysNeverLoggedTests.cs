using OrgGraph.Tests.Support;
using static OrgGraph.Tests.Writes.Writes;

namespace OrgGraph.Tests.Writes;

/// <summary>
/// Runs alone: Serilog's <c>AddSerilog</c> logs through the static <c>Log.Logger</c>, which each test host replaces, so
/// while other hosts start in parallel this app's events could land in another app's sink and the check would prove nothing.
/// </summary>
[CollectionDefinition(nameof(LogCapture), DisableParallelization = true)]
public sealed class LogCapture;

[Collection(nameof(LogCapture))]
public sealed class KeysNeverLoggedTests(WritableApp app) : IClassFixture<WritableApp>
{
    [Fact]
    public async Task Keys_NeverAppearInResponsesOrLogs()
    {
        var wrong = "wrong-" + WritableApp.Key;
        var bodies = new List<string>
        {
            (await app.Writer.PostAsync(UpsertOrganisation, Organisation("log-test"))).Body,
            (await app.Client(("X-Api-Key", WritableApp.OtherKey)).PostAsync(UpsertOrganisation, Organisation("log-test", name: "Log Test 2"))).Body,
            (await app.Client(("X-Api-Key", wrong)).PostAsync(UpsertOrganisation, Organisation("log-test-2"))).Body,
            (await app.Client(("Authorization", "Bearer " + wrong)).PostAsync("""mutation { importCsv(files: []) { imported } }""")).Body,
            (await app.Anonymous.PostAsync("{ changes(first: 100) { keyId subject before after } }")).Body,
        };

        // The capture saw this app's writes and refusals, so its silence about the keys means something.
        Assert.Contains($"by key \"{WritableApp.OtherKeyId}\"", app.Logs.All, StringComparison.Ordinal);
        Assert.Contains("INVALID_API_KEY", app.Logs.All, StringComparison.Ordinal);
        foreach (var secret in new[] { WritableApp.Key, WritableApp.OtherKey, wrong })
        {
            Assert.DoesNotContain(secret, app.Logs.All, StringComparison.Ordinal);
            Assert.All(bodies, body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
        }
    }
}
