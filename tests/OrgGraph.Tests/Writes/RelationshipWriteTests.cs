using System.Text.Json.Nodes;
using OrgGraph.Tests.Support;
using static OrgGraph.Tests.Writes.Writes;

namespace OrgGraph.Tests.Writes;

/// <summary>upsertRelationship and retireRelationship through HTTP, with a key.</summary>
public sealed class RelationshipWriteTests(WritableApp app) : IClassFixture<WritableApp>
{
    private const string Upsert = """
        mutation($input: RelationshipInput!) {
          upsertRelationship(input: $input) { type from { id } to { id } validFrom validTo confidence properties { key value } sources { url } }
        }
        """;

    private const string Retire = """
        mutation($type: RelationshipType!, $from: ID!, $to: ID!, $validFrom: Date, $validTo: Date!) {
          retireRelationship(type: $type, from: $from, to: $to, validFrom: $validFrom, validTo: $validTo, sourceUrls: ["https://example.org/ended"]) { validFrom validTo sources { url } }
        }
        """;

    private const string Operators = """
        query($asOf: Date) { organisation(id: "F83056") { relationships(types: [OPERATED_BY], direction: OUTGOING, asOf: $asOf) { totalCount nodes { to { id } validFrom validTo properties { key value } } } } }
        """;

    [Fact]
    public async Task UpsertRelationship_ThenRetire_IsVisibleUntilItsEndAndKeptAfterwards()
    {
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("new-operator-ltd", name: "New Operator Ltd"));

        var written = (await app.Writer.QueryAsync(Upsert, Input("F83056", "new-operator-ltd", properties: [new { key = "contract", text = "APMS" }])))["upsertRelationship"]!;

        Assert.Equal(("OPERATED_BY", "F83056", "new-operator-ltd", "2023-04-01", "REPORTED"), (written["type"]!.GetValue<string>(), written["from"]!["id"]!.GetValue<string>(),
            written["to"]!["id"]!.GetValue<string>(), written["validFrom"]!.GetValue<string>(), written["confidence"]!.GetValue<string>()));
        Assert.Equal("https://example.org/operator-contract", written["sources"]![0]!["url"]!.GetValue<string>());
        Assert.Contains(Ends(await OperatorsAsync("2024-06-01")), id => id == "new-operator-ltd");
        var controlled = await app.Anonymous.QueryAsync("""{ controlledBy(id: "new-operator-ltd", asOf: "2024-06-01") { controlled { id } } }""");
        Assert.Contains(controlled["controlledBy"]!.AsArray(), c => c!["controlled"]!["id"]!.GetValue<string>() == "F83056");

        var retired = (await app.Writer.QueryAsync(Retire, new { type = "OPERATED_BY", from = "F83056", to = "new-operator-ltd", validFrom = "2023-04-01", validTo = "2024-12-31" }))["retireRelationship"]!;

        Assert.Equal("2024-12-31", retired["validTo"]!.GetValue<string>());
        Assert.Equal(2, retired["sources"]!.AsArray().Count);
        Assert.Contains(Ends(await OperatorsAsync("2024-06-01")), id => id == "new-operator-ltd");
        Assert.DoesNotContain(Ends(await OperatorsAsync("2025-01-01")), id => id == "new-operator-ltd");
        var kept = (await OperatorsAsync(null)).Single(r => r!["to"]!["id"]!.GetValue<string>() == "new-operator-ltd")!;
        Assert.Equal(("2024-12-31", "contract=APMS"), (kept["validTo"]!.GetValue<string>(), $"{kept["properties"]![0]!["key"]}={kept["properties"]![0]!["value"]}"));
    }

    [Fact]
    public async Task UpsertRelationship_SameIdentity_UpdatesInPlace()
    {
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("owner-a-ltd", name: "Owner A"));
        await app.Writer.QueryAsync(UpsertOrganisation, Organisation("owned-b-ltd", name: "Owned B"));
        await app.Writer.QueryAsync(Upsert, Input("owned-b-ltd", "owner-a-ltd", type: "OWNED_BY", properties: [new { key = "share", number = 40 }]));

        await app.Writer.QueryAsync(Upsert, Input("owned-b-ltd", "owner-a-ltd", type: "OWNED_BY", properties: [new { key = "share", number = 100 }]));

        var owners = (await app.Anonymous.QueryAsync("""{ organisation(id: "owned-b-ltd") { relationships(types: [OWNED_BY]) { nodes { properties { key value } } } } }"""))
            ["organisation"]!["relationships"]!["nodes"]!.AsArray();
        Assert.Equal("100", Assert.Single(owners)!["properties"]![0]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("no-such-practice", "QT1", "NOT_FOUND", "input.from")]
    [InlineData("52R", "no-such-ics", "NOT_FOUND", "input.to")]
    [InlineData("52R", "52R", "INVALID_ARGUMENT", "input.to")]
    [InlineData("52R", "bad id", "INVALID_ARGUMENT", "input.to")]
    public async Task UpsertRelationship_BadEnds_AreRefusedNamingTheFieldAndWriteNothing(string from, string to, string code, string field)
    {
        var before = await app.CountAsync();

        var (_, errors) = await app.Writer.FailAsync(Upsert, Input(from, to, type: "PART_OF"));

        Assert.Equal((code, field), (errors[0]!.Code(), OrganisationWriteTests.Field(errors[0]!)));
        Assert.Equal(before, await app.CountAsync());
    }

    [Fact]
    public async Task RetireRelationship_UnknownIdentity_IsNotFound()
    {
        var (_, errors) = await app.Writer.FailAsync(Retire, new { type = "PART_OF", from = "52R", to = "QT1", validFrom = "1999-01-01", validTo = "2024-12-31" });

        Assert.Equal(("NOT_FOUND", "validFrom"), (errors[0]!.Code(), OrganisationWriteTests.Field(errors[0]!)));
    }

    [Fact]
    public async Task RetireRelationship_EndBeforeStart_IsInvalidArgument()
    {
        var (_, errors) = await app.Writer.FailAsync(Retire, new { type = "PART_OF", from = "52R", to = "QT1", validFrom = "2020-04-01", validTo = "2020-03-31" });

        Assert.Equal(("INVALID_ARGUMENT", "validTo"), (errors[0]!.Code(), OrganisationWriteTests.Field(errors[0]!)));
    }

    private async Task<JsonArray> OperatorsAsync(string? asOf) =>
        (await app.Anonymous.QueryAsync(Operators, new { asOf }))["organisation"]!["relationships"]!["nodes"]!.AsArray();

    private static IEnumerable<string> Ends(JsonArray relationships) => relationships.Select(r => r!["to"]!["id"]!.GetValue<string>());

    private static object Input(string from, string to, string type = "OPERATED_BY", object[]? properties = null) => new
    {
        input = new { type, from, to, validFrom = "2023-04-01", confidence = "REPORTED", sourceUrls = new[] { "https://example.org/operator-contract" }, properties },
    };
}
