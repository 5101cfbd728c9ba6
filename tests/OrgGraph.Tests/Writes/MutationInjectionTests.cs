using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrgGraph.Tests.GraphQL;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Writes;

/// <summary>
/// The injection payloads of the query tests (<see cref="InjectionScenarios.Payloads"/>) in every string argument of
/// every mutation, sent with a valid key: each is refused with a client code (then no table of the SQLite file
/// changes), or stored as data, byte for byte as the API normalises text (trimmed), read back from the file itself,
/// and only the tables that write may touch change.
/// </summary>
public sealed class MutationInjectionTests(WritableApp app) : IClassFixture<WritableApp>, IAsyncLifetime
{
    private const string UpsertRelationship = """
        mutation($input: RelationshipInput!) { upsertRelationship(input: $input) { type } }
        """;

    private const string RetireRelationship = """
        mutation($from: ID!, $to: ID!, $urls: [String!]!) { retireRelationship(type: OWNED_BY, from: $from, to: $to, validFrom: "2020-01-01", validTo: "2024-01-01", sourceUrls: $urls) { type } }
        """;

    private const string RetireOrganisation = """
        mutation($id: ID!, $urls: [String!]!) { retireOrganisation(id: $id, validTo: "2024-01-01", sourceUrls: $urls) { id } }
        """;

    private const string UpsertSource = "mutation($input: SourceInput!) { upsertSource(input: $input) { id } }";

    private const string ImportCsv = "mutation($files: [CsvFileInput!]!) { importCsv(files: $files) { imported problems { message } } }";

    private const string Url = "https://example.org/injection";

    /// <summary>
    /// A string argument: the mutation and its variables for a payload and a tag unique to the case, the tables an
    /// accepted write may change, and (when the value is kept) the SQL that reads it back from the file by the tag.
    /// </summary>
    private sealed record Argument(string Document, Func<string, string, object> Variables, string[] Tables, string? ReadBack = null);

    private static readonly string[] NodeTables = ["nodes", "sources", "changes", "store_meta"];
    private static readonly string[] RelationshipTables = ["relationships", "sources", "changes", "store_meta"];
    private static readonly string[] SourceTables = ["sources", "changes", "store_meta"];

    private static readonly Dictionary<string, Argument> Arguments = new()
    {
        ["upsertOrganisation.input.id"] = new(Writes.UpsertOrganisation, (v, _) => Writes.Organisation(v, url: Url), NodeTables, "SELECT id FROM nodes WHERE id = $value"),
        ["upsertOrganisation.input.name"] = new(Writes.UpsertOrganisation, (v, tag) => Writes.Organisation(tag, name: v, url: Url), NodeTables, "SELECT name FROM nodes WHERE id = $tag"),
        ["upsertOrganisation.input.sourceUrls"] = new(Writes.UpsertOrganisation, (v, tag) => Writes.Organisation(tag, url: v), NodeTables),
        ["upsertOrganisation.input.properties.key"] = new(Writes.UpsertOrganisation, (v, tag) => OrganisationWithProperty(tag, key: v, text: "x"), NodeTables),
        ["upsertOrganisation.input.properties.text"] = new(Writes.UpsertOrganisation, (v, tag) => OrganisationWithProperty(tag, key: "note", text: v), NodeTables,
            "SELECT json_extract(properties, '$.note') FROM nodes WHERE id = $tag"),
        ["retireOrganisation.id"] = new(RetireOrganisation, (v, _) => new { id = v, urls = new[] { Url } }, NodeTables),
        ["retireOrganisation.sourceUrls"] = new(RetireOrganisation, (v, _) => new { id = "inj-a", urls = new[] { v } }, NodeTables),
        ["upsertRelationship.input.from"] = new(UpsertRelationship, (v, _) => Relationship(v, "inj-b"), RelationshipTables),
        ["upsertRelationship.input.to"] = new(UpsertRelationship, (v, _) => Relationship("inj-a", v), RelationshipTables),
        ["upsertRelationship.input.sourceUrls"] = new(UpsertRelationship, (v, _) => Relationship("inj-a", "inj-b", url: v), RelationshipTables),
        ["upsertRelationship.input.properties.text"] = new(UpsertRelationship, (v, tag) => Relationship("inj-a", "inj-b", note: v, validFrom: DateOf(tag)), RelationshipTables,
            "SELECT json_extract(properties, '$.note') FROM relationships WHERE from_id = 'inj-a' AND to_id = 'inj-b' AND valid_from = $date"),
        ["retireRelationship.from"] = new(RetireRelationship, (v, _) => new { from = v, to = "inj-b", urls = new[] { Url } }, RelationshipTables),
        ["retireRelationship.to"] = new(RetireRelationship, (v, _) => new { from = "inj-a", to = v, urls = new[] { Url } }, RelationshipTables),
        ["retireRelationship.sourceUrls"] = new(RetireRelationship, (v, _) => new { from = "inj-a", to = "inj-b", urls = new[] { v } }, RelationshipTables),
        ["upsertSource.input.id"] = new(UpsertSource, (v, _) => new { input = new { id = v, title = "Injection" } }, SourceTables, "SELECT id FROM sources WHERE id = $value"),
        ["upsertSource.input.title"] = new(UpsertSource, (v, tag) => new { input = new { id = tag, title = v } }, SourceTables, "SELECT title FROM sources WHERE id = $tag"),
        ["upsertSource.input.publisher"] = new(UpsertSource, (v, tag) => new { input = new { id = tag, title = "T", publisher = v } }, SourceTables, "SELECT publisher FROM sources WHERE id = $tag"),
        ["upsertSource.input.url"] = new(UpsertSource, (v, tag) => new { input = new { id = tag, title = "T", url = v } }, SourceTables, "SELECT url FROM sources WHERE id = $tag"),
        ["upsertSource.input.licence"] = new(UpsertSource, (v, tag) => new { input = new { id = tag, title = "T", licence = v } }, SourceTables, "SELECT licence FROM sources WHERE id = $tag"),
        ["importCsv.files.name"] = new(ImportCsv, (v, tag) => Files(("sources.csv", SourcesCsv(tag)), (v, NodesCsv(tag, "Injection"))), NodeTables),
        ["importCsv.files.content (a name)"] = new(ImportCsv, (v, tag) => Files(("sources.csv", SourcesCsv(tag)), ("nodes.csv", NodesCsv(tag, v))), NodeTables,
            "SELECT name FROM nodes WHERE id = $tag"),
        ["importCsv.files.content (a whole file)"] = new(ImportCsv, (v, tag) => Files(("sources.csv", SourcesCsv(tag)), ("nodes.csv", v)), NodeTables),
    };

    /// <summary>
    /// The tables after the last case, per store file: the next case's "before" (the cases of a class run one at a time on its
    /// own store, and nothing else writes to it), so each case reads the whole file once.
    /// </summary>
    private static readonly ConcurrentDictionary<string, Dictionary<string, string>> LastState = new();

    private static readonly HashSet<string> ClientCodes = ["NOT_FOUND", "INVALID_ARGUMENT", "LIMIT_EXCEEDED", "INVALID_VALUE"];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var argument in Arguments.Keys)
        {
            foreach (var payload in InjectionScenarios.Payloads.Keys)
            {
                cases.Add(argument, payload);
            }
        }

        return cases;
    }

    public async Task InitializeAsync()
    {
        if (LastState.ContainsKey(app.App.DatabasePath))
        {
            return;
        }

        foreach (var id in new[] { "inj-a", "inj-b" })
        {
            await app.Writer.QueryAsync(Writes.UpsertOrganisation, Writes.Organisation(id, url: Url));
        }

        await app.Writer.QueryAsync(UpsertRelationship, Relationship("inj-a", "inj-b"));
        LastState[app.App.DatabasePath] = await TablesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Payload_IsStoredAsDataOrRefusedWithACode_AndNothingElseChanges(string argument, string payload)
    {
        var (document, variables, tables, readBack) = Arguments[argument];
        var value = InjectionScenarios.Payloads[payload];
        var tag = "inj-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(argument + "/" + payload)))[..8];
        var before = LastState[app.App.DatabasePath];

        var (_, body) = await app.Writer.PostAsync(document, variables(value, tag));

        var json = JsonNode.Parse(body)!;
        if (json["errors"] is JsonArray errors)
        {
            Assert.All(errors, e => Assert.True(e!.Code() is { } code && ClientCodes.Contains(code), $"{argument} with {payload}: {body}"));
        }

        var refused = json["errors"] is not null || json["data"]!["importCsv"]?["imported"]?.GetValue<bool>() == false;
        Assert.DoesNotContain("Exception", body);
        var after = LastState[app.App.DatabasePath] = await TablesAsync();
        if (refused)
        {
            Assert.Equal(before, after);
        }
        else
        {
            Assert.All(before.Where(t => !tables.Contains(t.Key)), t => Assert.True(after[t.Key] == t.Value, $"{argument} with {payload} changed {t.Key}"));
            if (readBack is not null)
            {
                // Text is kept as sent, trimmed; an optional value that is only spaces may be kept as no value (null).
                var expected = value.Trim();
                Assert.Equal(expected, await ReadBackAsync(readBack, expected, tag) ?? "");
            }
        }

        Assert.Equal("QT1", (await app.Anonymous.QueryAsync("""{ organisation(id: "QT1") { id } }"""))["organisation"]!["id"]!.GetValue<string>());
    }

    /// <summary>
    /// Each table of the store file (the full-text index aside) as its row count and a hash of its rows; the spend tables
    /// (370,000 payment lines and their totals, written only by imports, too large to hash 800 times) as their row count.
    /// </summary>
    private async Task<Dictionary<string, string>> TablesAsync() =>
        (await SqliteSnapshot.TakeAsync(app.App.DatabasePath, summarised: ["payments", "payment_totals"])).Split(' ').Select(t => t.Split('=')).ToDictionary(t => t[0], t => t[1]);

    private async Task<string?> ReadBackAsync(string sql, string value, string tag)
    {
        await using var connection = new SqliteConnection($"Data Source={app.App.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$tag", tag);
        command.Parameters.AddWithValue("$date", DateOf(tag));
        return await command.ExecuteScalarAsync() as string;
    }

    private static object OrganisationWithProperty(string id, string key, string text) =>
        new { input = new { id, name = "Injection", kind = "COMPANY", sector = "PRIVATE", sourceUrls = new[] { Url }, properties = new[] { new { key, text } } } };

    private static object Relationship(string from, string to, string url = Url, string? note = null, string validFrom = "2020-01-01") =>
        new { input = new { type = "OWNED_BY", from, to, validFrom, sourceUrls = new[] { url }, properties = note is null ? null : new[] { new { key = "note", text = note } } } };

    /// <summary>A start date unique to the case, so each accepted relationship write is a relationship of its own.</summary>
    private static string DateOf(string tag) => new DateOnly(2000, 1, 1).AddDays((int)(Convert.ToUInt32(tag[4..], 16) % 9000)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string SourcesCsv(string tag) => $"id,title\n{tag}-source,Injection\n";

    private static string NodesCsv(string tag, string name) =>
        $"id,name,kind,sector,sources\n{tag},\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",COMPANY,PRIVATE,{tag}-source\n";

    private static object Files(params (string Name, string Content)[] files) =>
        new { files = files.Select(f => new { name = f.Name, content = f.Content }).ToArray() };
}
