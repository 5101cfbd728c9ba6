using System.Net;
using OrgGraph.Tests.Support;
using static OrgGraph.Tests.Writes.Writes;

namespace OrgGraph.Tests.Writes;

/// <summary>Writes need a configured API key; a refused write has a code naming why, and writes nothing.</summary>
public sealed class WriteAuthTests(WritableApp app) : IClassFixture<WritableApp>
{
    /// <summary>One call of every mutation, each valid apart from the missing or wrong key.</summary>
    public static TheoryData<string, string> EveryMutation => new()
    {
        { "upsertOrganisation", """mutation { upsertOrganisation(input: { id: "auth-test", name: "Auth Test", kind: COMPANY, sector: PRIVATE, sourceUrls: ["https://example.org/a"] }) { id } }""" },
        { "retireOrganisation", """mutation { retireOrganisation(id: "QT1", validTo: "2030-01-01", sourceUrls: ["https://example.org/a"]) { id } }""" },
        { "upsertRelationship", """mutation { upsertRelationship(input: { type: MEMBER_OF, from: "52R", to: "QT1", validFrom: "2030-01-01", sourceUrls: ["https://example.org/a"] }) { type } }""" },
        { "retireRelationship", """mutation { retireRelationship(type: PART_OF, from: "52R", to: "QT1", validFrom: "2020-04-01", validTo: "2030-01-01", sourceUrls: ["https://example.org/a"]) { type } }""" },
        { "upsertSource", """mutation { upsertSource(input: { url: "https://example.org/a", title: "A" }) { id } }""" },
        { "importCsv", """mutation { importCsv(files: [{ name: "sources.csv", content: "id,title\ns1,S" }, { name: "nodes.csv", content: "id,name,kind,sector,sources\nauth-csv,A,COMPANY,PRIVATE,s1" }]) { imported } }""" },
    };

    [Theory]
    [MemberData(nameof(EveryMutation))]
    public async Task EveryMutation_WithoutKey_IsUnauthenticatedAndWritesNothing(string field, string mutation)
    {
        var before = await app.CountAsync();

        var (status, errors) = await app.Anonymous.FailAsync(mutation);

        Assert.Equal(HttpStatusCode.OK, status);
        var error = Assert.Single(errors)!;
        Assert.Equal("UNAUTHENTICATED", error!.Code());
        Assert.Equal(field, error["path"]![0]!.GetValue<string>());
        Assert.Equal(before, await app.CountAsync());
        Assert.Null(await app.Anonymous.OrganisationAsync("auth-test"));
    }

    [Theory]
    [MemberData(nameof(EveryMutation))]
    public async Task EveryMutation_WithWrongKey_IsInvalidApiKeyAndWritesNothing(string field, string mutation)
    {
        var before = await app.CountAsync();
        var sameLength = new string('x', WritableApp.Key.Length);

        var (_, errors) = await app.Client(("X-Api-Key", sameLength)).FailAsync(mutation);

        Assert.Equal(("INVALID_API_KEY", field), (Assert.Single(errors)!.Code(), errors[0]!["path"]![0]!.GetValue<string>()));
        Assert.Equal(before, await app.CountAsync());
    }

    [Theory]
    [InlineData("short")]
    [InlineData(WritableApp.Key + "0")]
    [InlineData("nr-5f0c8b2e9d7a4163b1e")] // the key less its last character
    [InlineData("NR-5F0C8B2E9D7A4163B1E2")] // the key in upper case
    public async Task UpsertOrganisation_WithKeyOfAnotherLengthOrCase_IsInvalidApiKey(string wrong)
    {
        var before = await app.CountAsync();

        var (_, errors) = await app.Client(("Authorization", "Bearer " + wrong)).FailAsync(UpsertOrganisation, Organisation("wrong-key-test"));

        Assert.Equal("INVALID_API_KEY", Assert.Single(errors)!.Code());
        Assert.DoesNotContain(wrong, errors.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountAsync());
        Assert.Null(await app.Anonymous.OrganisationAsync("wrong-key-test"));
    }

    [Theory]
    [InlineData("Authorization", "Basic " + WritableApp.Key)]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("X-Api-Key", " ")]
    public async Task UpsertOrganisation_WithKeyNotSentAsBearerOrApiKey_IsUnauthenticated(string header, string value)
    {
        var (_, errors) = await app.Client((header, value)).FailAsync(UpsertOrganisation, Organisation("no-bearer-test"));

        Assert.Equal("UNAUTHENTICATED", Assert.Single(errors)!.Code());
        Assert.Null(await app.Anonymous.OrganisationAsync("no-bearer-test"));
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + WritableApp.Key)]
    [InlineData("Authorization", "bearer " + WritableApp.Key)]
    [InlineData("X-Api-Key", WritableApp.Key)]
    public async Task UpsertOrganisation_WithKeyAsBearerOrApiKeyHeader_Writes(string header, string value)
    {
        var id = "header-test-" + header.Length + value[0];

        var data = await app.Client((header, value)).QueryAsync(UpsertOrganisation, Organisation(id));

        Assert.Equal(id, data["upsertOrganisation"]!["id"]!.GetValue<string>());
        Assert.NotNull(await app.Anonymous.OrganisationAsync(id));
    }

    /// <summary>The key is checked when the mutation runs, not when its document is validated, so the document cache cannot skip it.</summary>
    [Fact]
    public async Task SameMutationText_AfterASuccessWithAKey_IsStillRefusedWithoutOne()
    {
        var variables = Organisation("cache-test");
        await app.Writer.QueryAsync(UpsertOrganisation, variables);
        await app.Writer.QueryAsync(UpsertOrganisation, variables);
        var before = await app.CountAsync();

        var (_, errors) = await app.Anonymous.FailAsync(UpsertOrganisation, variables);

        Assert.Equal("UNAUTHENTICATED", Assert.Single(errors)!.Code());
        Assert.Equal(before, await app.CountAsync());
    }

    [Fact]
    public async Task Mutation_OverGet_IsRefusedWith405()
    {
        using var response = await app.Writer.GetAsync("/graphql?query=" + Uri.EscapeDataString(
            """mutation { upsertSource(input: { url: "https://example.org/get", title: "G" }) { id } }"""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}

/// <summary>Without configured keys there is no way to write; a bad key configuration stops the app without revealing the key.</summary>
public sealed class WriteAuthConfigurationTests
{
    [Fact]
    public async Task Mutation_WithNoKeysConfigured_IsAuthNotConfiguredEvenWithAKey()
    {
        await using var app = new OrgGraphApp(("Seed:OnStartup", "false"));
        var client = await app.ReadyClientAsync();
        client.DefaultRequestHeaders.Add("X-Api-Key", WritableApp.Key);

        var (_, errors) = await client.FailAsync(UpsertOrganisation, Organisation("no-keys"));

        Assert.Equal("AUTH_NOT_CONFIGURED", Assert.Single(errors)!.Code());
        var data = await client.QueryAsync("{ organisations(first: 0) { totalCount } changes { id } }");
        Assert.Equal(0, data["organisations"]!["totalCount"]!.GetValue<int>());
        Assert.Empty(data["changes"]!.AsArray());
    }

    [Theory]
    [InlineData("newsroom", "abc123short")]
    [InlineData("news room", "abcdefghijklmnopqrstuvwxyz")]
    [InlineData("", "abcdefghijklmnopqrstuvwxyz")]
    public void Startup_WithBadKeyConfiguration_FailsNamingTheSettingNotTheKey(string id, string key)
    {
        using var app = new OrgGraphApp(("Seed:OnStartup", "false"), ("Auth:ApiKeys:0:Id", id), ("Auth:ApiKeys:0:Key", key));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var message = error.ToString();
        Assert.Contains("Auth:ApiKeys:0", message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_WithTwoKeysAlike_Fails()
    {
        using var app = new OrgGraphApp(("Seed:OnStartup", "false"),
            ("Auth:ApiKeys:0:Id", "a"), ("Auth:ApiKeys:0:Key", WritableApp.Key),
            ("Auth:ApiKeys:1:Id", "b"), ("Auth:ApiKeys:1:Key", WritableApp.Key));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Auth:ApiKeys:1:Key", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WritableApp.Key, error.ToString(), StringComparison.Ordinal);
    }
}
