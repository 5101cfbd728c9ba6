using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrgGraph.Tests.Support;
using static OrgGraph.Tests.Writes.Writes;

namespace OrgGraph.Tests.Writes;

/// <summary>Every write is recorded with the key's id, the time (from the app's TimeProvider) and its sources; the record cannot be changed.</summary>
public sealed class ChangeLogTests(WritableApp app) : IClassFixture<WritableApp>
{
    private const string Changes = """
        query($id: ID) { changes(id: $id) { id at keyId action subject organisationIds sources { id url } before after } }
        """;

    [Fact]
    public async Task UpsertOrganisation_RecordsKeyIdFixedTimeSourcesAndAfter()
    {
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("audited-ltd", name: "Audited Ltd", url: "https://example.org/audited"));

        var change = Assert.Single(await ChangesAsync("audited-ltd"))!;

        Assert.Equal((WritableApp.KeyId, "UPSERT_ORGANISATION", "audited-ltd"),
            (change["keyId"]!.GetValue<string>(), change["action"]!.GetValue<string>(), change["subject"]!.GetValue<string>()));
        Assert.Equal(WritableApp.Now, DateTimeOffset.Parse(change["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["audited-ltd"], change["organisationIds"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal("https://example.org/audited", Assert.Single(change["sources"]!.AsArray())!["url"]!.GetValue<string>());
        Assert.Null(change["before"]);
        var after = JsonNode.Parse(change["after"]!.GetValue<string>())!;
        Assert.Equal(("Audited Ltd", "COMPANY", "2020-01-01"), (after["name"]!.GetValue<string>(), after["kind"]!.GetValue<string>(), after["validFrom"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Writes_ByAnotherKey_RecordThatKeysId()
    {
        await app.Client(("X-Api-Key", WritableApp.OtherKey)).QueryAsync(UpsertOrganisation, Organisation("other-key-ltd"));
        await app.Writer.QueryAsync("""mutation { retireOrganisation(id: "other-key-ltd", validTo: "2024-12-31", sourceUrls: ["https://example.org/gone"]) { id } }""");

        var changes = await ChangesAsync("other-key-ltd");

        Assert.Equal([("RETIRE_ORGANISATION", WritableApp.KeyId), ("UPSERT_ORGANISATION", WritableApp.OtherKeyId)],
            changes.Select(c => (c!["action"]!.GetValue<string>(), c["keyId"]!.GetValue<string>())));
        var retire = changes[0]!;
        Assert.Null(JsonNode.Parse(retire["before"]!.GetValue<string>())!["validTo"]);
        Assert.Equal("2024-12-31", JsonNode.Parse(retire["after"]!.GetValue<string>())!["validTo"]!.GetValue<string>());
        Assert.Equal(["https://example.org/gone"], retire["sources"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UpsertRelationship_IsInTheHistoryOfBothEnds()
    {
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("parent-co"));
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("child-co"));

        await app.Writer.QueryAsync("""
            mutation { upsertRelationship(input: { type: OWNED_BY, from: "child-co", to: "parent-co", sourceUrls: ["https://example.org/psc"], properties: [{ key: "share", number: 75 }] }) { type } }
            """);

        foreach (var id in new[] { "child-co", "parent-co" })
        {
            var latest = (await ChangesAsync(id))[0]!;
            Assert.Equal(("UPSERT_RELATIONSHIP", "OWNED_BY child-co -> parent-co from an open start"), (latest["action"]!.GetValue<string>(), latest["subject"]!.GetValue<string>()));
            Assert.Equal(75, JsonNode.Parse(latest["after"]!.GetValue<string>())!["properties"]!["share"]!.GetValue<double>());
        }
    }

    [Fact]
    public async Task RefusedWrite_IsNotRecorded()
    {
        var before = (await ChangesAsync(null)).Count;

        await app.Anonymous.FailAsync(UpsertOrganisation, Organisation("refused-ltd"));
        await app.Writer.FailAsync(UpsertOrganisation, Organisation("refused-ltd", validFrom: "2020-01-01", validTo: "2019-01-01"));

        Assert.Equal(before, (await ChangesAsync(null)).Count);
        Assert.Empty(await ChangesAsync("refused-ltd"));
    }

    [Fact]
    public async Task StoredChanges_CannotBeUpdatedOrDeleted()
    {
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("append-only-ltd"));
        await using var connection = new SqliteConnection($"Data Source={app.App.DatabasePath}");
        await connection.OpenAsync();

        foreach (var sql in new[] { "UPDATE changes SET key_id = 'someone-else'", "DELETE FROM changes" })
        {
            await using var command = new SqliteCommand(sql, connection);
            var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        }
    }

    private async Task<JsonArray> ChangesAsync(string? id) => (await app.Anonymous.QueryAsync(Changes, new { id }))["changes"]!.AsArray();
}
