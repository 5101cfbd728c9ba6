using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;
using static OrgGraph.Tests.Writes.Writes;

namespace OrgGraph.Tests.Writes;

/// <summary>upsertOrganisation, retireOrganisation and upsertSource through HTTP, with a key.</summary>
public sealed class OrganisationWriteTests(WritableApp app) : IClassFixture<WritableApp>
{
    [Fact]
    public async Task UpsertOrganisation_New_IsVisibleByIdWithItsSourceUrl()
    {
        var before = await app.CountAsync();

        var written = (await app.Writer.QueryAsync(UpsertOrganisation, Organisation("new-health-ltd", url: "https://Example.org/new-health")))["upsertOrganisation"]!;

        Assert.Equal(("new-health-ltd", "COMPANY", "PRIVATE", "2020-01-01", "OFFICIAL"), (written["id"]!.GetValue<string>(), written["kind"]!.GetValue<string>(),
            written["sector"]!.GetValue<string>(), written["validFrom"]!.GetValue<string>(), written["confidence"]!.GetValue<string>()));
        var read = await app.Anonymous.OrganisationAsync("new-health-ltd");
        Assert.Equal("Test Health Ltd", read!["name"]!.GetValue<string>());
        var source = Assert.Single(read["sources"]!.AsArray())!;
        Assert.Equal("https://example.org/new-health", source["url"]!.GetValue<string>());
        Assert.Equal("https://example.org/new-health", source["title"]!.GetValue<string>());
        Assert.StartsWith("url:", source["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((before.Organisations + 1, before.Changes + 1), await app.CountAsync());
    }

    [Fact]
    public async Task UpsertOrganisation_ExistingId_UpdatesInPlaceAccumulatesSourcesAndKeepsThePreviousValuesInTheAuditTrail()
    {
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("renamed-ltd", name: "Old Name Ltd", url: "https://example.org/old"));
        var before = await app.CountAsync();

        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("renamed-ltd", name: "New Name Ltd", url: "https://example.org/new"));

        var read = await app.Anonymous.OrganisationAsync("renamed-ltd");
        Assert.Equal("New Name Ltd", read!["name"]!.GetValue<string>());
        Assert.Equal(["https://example.org/new", "https://example.org/old"], read["sources"]!.AsArray().Select(s => s!["url"]!.GetValue<string>()).Order());
        Assert.Equal((before.Organisations, before.Changes + 1), await app.CountAsync());
        var latest = (await app.Anonymous.QueryAsync("""{ changes(id: "renamed-ltd", first: 1) { action before after } }"""))["changes"]![0]!;
        Assert.Equal("UPSERT_ORGANISATION", latest["action"]!.GetValue<string>());
        Assert.Equal("Old Name Ltd", JsonNode.Parse(latest["before"]!.GetValue<string>())!["name"]!.GetValue<string>());
        Assert.Equal("New Name Ltd", JsonNode.Parse(latest["after"]!.GetValue<string>())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpsertOrganisation_SeededOrganisation_KeepsItsNamesRolesAndAliases()
    {
        var data = await app.Writer.QueryAsync("""
            mutation { upsertOrganisation(input: { id: "QT1", name: "NHS Nottingham and Nottinghamshire ICB", kind: ICS, sector: PUBLIC, validFrom: "2016-03-01",
              sourceUrls: ["https://example.org/qt1"], properties: [{ key: "postcode", text: "NG2 3NG" }, { key: "beds", number: 12 }, { key: "statutory", boolean: true }] }) {
              id properties { key value } } }
            """);

        Assert.Equal(["beds=12", "postcode=NG2 3NG", "statutory=true"],
            data["upsertOrganisation"]!["properties"]!.AsArray().Select(p => $"{p!["key"]}={p["value"]}").Order());
        var byAlias = (await app.Anonymous.QueryAsync("""{ organisation(id: "E54000014") { id name roles { role } } }"""))["organisation"]!;
        Assert.Equal(("QT1", "NHS Nottingham and Nottinghamshire ICB"), (byAlias["id"]!.GetValue<string>(), byAlias["name"]!.GetValue<string>()));
        Assert.NotEmpty(byAlias["roles"]!.AsArray());
    }

    [Fact]
    public async Task RetireOrganisation_SetsValidTo_KeepsTheOrganisationAndAsOfLaterExcludesIt()
    {
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("closing-ltd", name: "Closing Soon Ltd", validFrom: "2019-04-01"));
        const string Count = """query($asOf: Date) { organisations(nameContains: "Closing Soon", asOf: $asOf) { totalCount } }""";

        var retired = await app.Writer.QueryAsync("""
            mutation { retireOrganisation(id: "closing-ltd", validTo: "2024-03-31", sourceUrls: ["https://example.org/closed"]) { id validTo sources { url } } }
            """);

        Assert.Equal("2024-03-31", retired["retireOrganisation"]!["validTo"]!.GetValue<string>());
        Assert.Contains(retired["retireOrganisation"]!["sources"]!.AsArray(), s => s!["url"]!.GetValue<string>() == "https://example.org/closed");
        Assert.Equal("2024-03-31", (await app.Anonymous.OrganisationAsync("closing-ltd"))!["validTo"]!.GetValue<string>());
        Assert.Equal(1, (await app.Anonymous.QueryAsync(Count, new { asOf = "2023-06-01" }))["organisations"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(1, (await app.Anonymous.QueryAsync(Count, new { asOf = "2024-03-31" }))["organisations"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(0, (await app.Anonymous.QueryAsync(Count, new { asOf = "2024-04-01" }))["organisations"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(1, (await app.Anonymous.QueryAsync(Count))["organisations"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task RetireOrganisation_EndsItsOpenRelationshipsOnTheSameDay_AuditedAlike_AndHistoryStaysQueryable()
    {
        foreach (var id in new[] { "retiring-owner", "owned-one", "owned-two", "owned-later" })
        {
            await app.Writer.QueryAsync(UpsertOrganisation, Organisation(id, validFrom: "2019-01-01"));
        }

        const string Link = """
            mutation($from: ID!, $to: ID!, $validFrom: Date, $validTo: Date) {
              upsertRelationship(input: { type: OWNED_BY, from: $from, to: $to, validFrom: $validFrom, validTo: $validTo, sourceUrls: ["https://example.org/owners"] }) { type } }
            """;
        await app.Writer.QueryAsync(Link, new { from = "owned-one", to = "retiring-owner", validFrom = "2020-01-01" });                    // open: ends
        await app.Writer.QueryAsync(Link, new { from = "retiring-owner", to = "owned-two", validFrom = (string?)null, validTo = "2030-12-31" }); // open after the date: ends
        await app.Writer.QueryAsync(Link, new { from = "owned-two", to = "retiring-owner", validFrom = "2020-01-01", validTo = "2022-12-31" }); // ended before: kept
        await app.Writer.QueryAsync(Link, new { from = "owned-later", to = "retiring-owner", validFrom = "2025-01-01" });                  // starts after: kept

        await app.Writer.QueryAsync("""
            mutation { retireOrganisation(id: "retiring-owner", validTo: "2024-03-31", sourceUrls: ["https://example.org/wound-up"]) { id } }
            """);

        const string Relationships = """
            query($asOf: Date) { organisation(id: "retiring-owner") { relationships(asOf: $asOf) { nodes { from { id } to { id } validFrom validTo sources { url } } } } }
            """;
        var all = (await app.Anonymous.QueryAsync(Relationships))["organisation"]!["relationships"]!["nodes"]!.AsArray()
            .ToDictionary(r => $"{r!["from"]!["id"]}->{r["to"]!["id"]}@{r["validFrom"]?.GetValue<string>()}", r => r!);
        Assert.Equal(4, all.Count);
        string? End(string key) => all[key]["validTo"]?.GetValue<string>();
        Assert.Equal(("2024-03-31", "2024-03-31", "2022-12-31", null), (End("owned-one->retiring-owner@2020-01-01"), End("retiring-owner->owned-two@"),
            End("owned-two->retiring-owner@2020-01-01"), End("owned-later->retiring-owner@2025-01-01")));
        Assert.Contains(all["owned-one->retiring-owner@2020-01-01"]["sources"]!.AsArray(), u => u!["url"]!.GetValue<string>() == "https://example.org/wound-up");

        // History: before the date both ended relationships still answer; after it neither does.
        int Count(JsonObject data) => data["organisation"]!["relationships"]!["nodes"]!.AsArray().Count;
        Assert.Equal(2, Count(await app.Anonymous.QueryAsync(Relationships, new { asOf = "2024-03-01" })));
        Assert.Equal(0, Count(await app.Anonymous.QueryAsync(Relationships, new { asOf = "2024-06-01" })));

        // The audit trail: the retirement and one record per ended relationship, with the same key, time and sources.
        var changes = (await app.Anonymous.QueryAsync("""{ changes(id: "retiring-owner", first: 3) { action keyId at subject sources { url } before after } }"""))["changes"]!.AsArray();
        Assert.Equal(["RETIRE_RELATIONSHIP", "RETIRE_RELATIONSHIP", "RETIRE_ORGANISATION"], changes.Select(c => c!["action"]!.GetValue<string>()));
        Assert.All(changes, c =>
        {
            Assert.Equal((WritableApp.KeyId, changes[2]!["at"]!.GetValue<string>()), (c!["keyId"]!.GetValue<string>(), c["at"]!.GetValue<string>()));
            Assert.Equal(["https://example.org/wound-up"], c["sources"]!.AsArray().Select(u => u!["url"]!.GetValue<string>()));
        });
        var ended = changes.Take(2).ToDictionary(c => JsonNode.Parse(c!["before"]!.GetValue<string>())!["from"]!.GetValue<string>(), c => c!);
        Assert.Null(JsonNode.Parse(ended["owned-one"]["before"]!.GetValue<string>())!["validTo"]);
        Assert.Equal("2024-03-31", JsonNode.Parse(ended["owned-one"]["after"]!.GetValue<string>())!["validTo"]!.GetValue<string>());
        Assert.Equal("2030-12-31", JsonNode.Parse(ended["retiring-owner"]["before"]!.GetValue<string>())!["validTo"]!.GetValue<string>());
    }

    [Fact]
    public async Task RetireOrganisation_UnknownId_IsNotFoundNamingTheField()
    {
        var (_, errors) = await app.Writer.FailAsync("""mutation { retireOrganisation(id: "no-such-org", validTo: "2024-03-31", sourceUrls: ["https://example.org/x"]) { id } }""");

        Assert.Equal(("NOT_FOUND", "id"), (errors[0]!.Code(), Field(errors[0]!)));
    }

    [Fact]
    public async Task RetireOrganisation_BeforeItOpened_IsInvalidArgumentAndWritesNothing()
    {
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("young-ltd", validFrom: "2022-01-01"));
        var before = await app.CountAsync();

        var (_, errors) = await app.Writer.FailAsync("""mutation { retireOrganisation(id: "young-ltd", validTo: "2021-12-31", sourceUrls: ["https://example.org/x"]) { id } }""");

        Assert.Equal(("INVALID_ARGUMENT", "validTo"), (errors[0]!.Code(), Field(errors[0]!)));
        Assert.Null((await app.Anonymous.OrganisationAsync("young-ltd"))!["validTo"]);
        Assert.Equal(before, await app.CountAsync());
    }

    public static TheoryData<string, object, string> InvalidInputs => new()
    {
        { "empty id", Input(id: " "), "input.id" },
        { "id with a space", Input(id: "two words"), "input.id" },
        { "id with a slash", Input(id: "../etc"), "input.id" },
        { "id too long", Input(id: new string('a', 101)), "input.id" },
        { "empty name", Input(name: "  "), "input.name" },
        { "name too long", Input(name: new string('n', 301)), "input.name" },
        { "name with a control character", Input(name: "bad\u0007name"), "input.name" },
        { "closes before it opens", Input(validFrom: "2020-01-01", validTo: "2019-12-31"), "input.validTo" },
        { "no sources", Input(sourceUrls: []), "input.sourceUrls" },
        { "ftp source", Input(sourceUrls: ["ftp://example.org/file"]), "input.sourceUrls[0]" },
        { "relative source", Input(sourceUrls: ["https://example.org/ok", "/just/a/path"]), "input.sourceUrls[1]" },
        { "source that is not a URL", Input(sourceUrls: ["see the annual report"]), "input.sourceUrls[0]" },
        { "too many sources", Input(sourceUrls: [.. Enumerable.Range(0, 21).Select(i => $"https://example.org/{i}")]), "input.sourceUrls" },
        { "property key twice", Input(properties: [new { key = "a", text = "1" }, new { key = "a", text = "2" }]), "input.properties[1].key" },
        { "property with two values", Input(properties: [new { key = "a", text = "1", number = 1 }]), "input.properties[0]" },
        { "property key with a space", Input(properties: [new { key = "a b", text = "1" }]), "input.properties[0].key" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task UpsertOrganisation_InvalidInput_IsInvalidArgumentNamingTheFieldAndWritesNothing(string why, object input, string field)
    {
        var before = await app.CountAsync();

        var (_, errors) = await app.Writer.FailAsync(UpsertOrganisation, new { input });

        Assert.True(errors[0]!.Code() == "INVALID_ARGUMENT", $"{why}: {errors}");
        Assert.Equal(field, Field(errors[0]!));
        Assert.Equal(before, await app.CountAsync());
    }

    [Fact]
    public async Task UpsertOrganisation_UnknownKind_IsRefusedBeforeExecutionAndWritesNothing()
    {
        var before = await app.CountAsync();

        var (_, errors) = await app.Writer.FailAsync(UpsertOrganisation, new { input = new { id = "kind-test", name = "K", kind = "TRUSTT", sector = "PUBLIC", sourceUrls = new[] { "https://example.org/k" } } });

        Assert.NotNull(errors[0]!.Code());
        Assert.Equal(before, await app.CountAsync());
    }

    [Fact]
    public async Task UpsertSource_ByUrl_TitlesTheSourceThatCitingTheUrlUses()
    {
        var source = (await app.Writer.QueryAsync("""
            mutation { upsertSource(input: { url: "https://example.org/annual-report-2024", title: "Annual report 2024", publisher: "Example Trust", published: "2024-07-01" }) { id title url publisher published } }
            """))["upsertSource"]!;

        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("cites-report", url: "https://example.org/annual-report-2024"));

        Assert.StartsWith("url:", source["id"]!.GetValue<string>(), StringComparison.Ordinal);
        var cited = Assert.Single((await app.Anonymous.OrganisationAsync("cites-report"))!["sources"]!.AsArray())!;
        Assert.Equal((source["id"]!.GetValue<string>(), "Annual report 2024"), (cited["id"]!.GetValue<string>(), cited["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UpsertSource_WithoutIdOrUrl_IsInvalidArgument()
    {
        var (_, errors) = await app.Writer.FailAsync("""mutation { upsertSource(input: { title: "Nameless" }) { id } }""");

        Assert.Equal(("INVALID_ARGUMENT", "input.id"), (errors[0]!.Code(), Field(errors[0]!)));
    }

    internal static string? Field(JsonNode error) => error["extensions"]?["field"]?.GetValue<string>();

    private static object Input(string id = "valid-id", string name = "Valid Name", string? validFrom = null, string? validTo = null,
        string[]? sourceUrls = null, object[]? properties = null) =>
        new { id, name, kind = "COMPANY", sector = "PRIVATE", validFrom, validTo, sourceUrls = sourceUrls ?? ["https://example.org/valid"], properties };
}
