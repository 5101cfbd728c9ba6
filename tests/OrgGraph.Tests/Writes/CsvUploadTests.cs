using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Writes;

/// <summary>importCsv: an upload in the project's CSV format, imported all or nothing, with problems located by file, line and column.</summary>
public sealed class CsvUploadTests(WritableApp app) : IClassFixture<WritableApp>
{
    private const string Import = """
        mutation($files: [CsvFileInput!]!) {
          importCsv(files: $files) { imported sources organisations namesRolesAliases relationships changeId problems { file line column field reason message } }
        }
        """;

    private const string Sources = """
        id,title,publisher,url
        upload-report,Upload test report,Example Publisher,https://example.org/upload-report
        """;

    private const string Nodes = """
        id,name,kind,sector,valid_from,sources,properties
        upload-trust,Upload Test NHS Trust,TRUST,PUBLIC,2021-04-01,upload-report,"{""postcode"":""NG1 1AA""}"
        upload-company,Upload Test Company Ltd,COMPANY,PRIVATE,,upload-report,
        """;

    private const string Relationships = """
        type,from,to,valid_from,sources
        PART_OF,upload-trust,QT1,2022-07-01,upload-report
        OPERATED_BY,F83056,upload-company,2023-01-01,upload-report;islington-tribune-hanley-2022
        """;

    [Fact]
    public async Task ImportCsv_GoodFiles_WritesEverythingWithAnAuditRecord()
    {
        var before = await app.CountAsync();

        var result = (await app.Writer.QueryAsync(Import, Files(("sources.csv", Sources), ("nodes.csv", Nodes), ("relationships.csv", Relationships),
            ("aliases.csv", "node_id,alias,scheme,sources\nupload-trust,UPL01,ODS,upload-report"))))["importCsv"]!;

        Assert.True(result["imported"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal((1, 2, 1, 2), (result["sources"]!.GetValue<int>(), result["organisations"]!.GetValue<int>(),
            result["namesRolesAliases"]!.GetValue<int>(), result["relationships"]!.GetValue<int>()));
        Assert.Empty(result["problems"]!.AsArray());
        Assert.Equal((before.Organisations + 2, before.Changes + 1), await app.CountAsync());
        var trust = (await app.Anonymous.QueryAsync("""{ organisation(id: "UPL01") { id parent(asOf: "2023-01-01") { id } sources { title } } }"""))["organisation"]!;
        Assert.Equal(("upload-trust", "QT1", "Upload test report"), (trust["id"]!.GetValue<string>(), trust["parent"]!["id"]!.GetValue<string>(), trust["sources"]![0]!["title"]!.GetValue<string>()));
        var change = (await app.Anonymous.QueryAsync("""{ changes(id: "upload-trust", first: 1) { id action keyId subject organisationIds } }"""))["changes"]![0]!;
        Assert.Equal((result["changeId"]!.GetValue<string>(), "IMPORT_CSV", WritableApp.KeyId),
            (change["id"]!.GetValue<string>(), change["action"]!.GetValue<string>(), change["keyId"]!.GetValue<string>()));
        Assert.Contains("nodes.csv", change["subject"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(change["organisationIds"]!.AsArray(), id => id!.GetValue<string>() == "QT1");
    }

    [Fact]
    public async Task ImportCsv_BadValue_WritesNothingAndReportsFileLineAndColumn()
    {
        var before = await app.CountAsync();
        var nodes = Nodes.Replace("upload-company,Upload Test Company Ltd,COMPANY", "bad-upload-company,Bad Upload Company Ltd,COMPANYY", StringComparison.Ordinal)
            .Replace("upload-trust,", "bad-upload-trust,", StringComparison.Ordinal);

        var result = (await app.Writer.QueryAsync(Import, Files(("sources.csv", Sources.Replace("upload-report", "bad-upload-report", StringComparison.Ordinal)),
            ("nodes.csv", nodes.Replace("upload-report", "bad-upload-report", StringComparison.Ordinal)))))["importCsv"]!;

        Assert.False(result["imported"]!.GetValue<bool>());
        var problem = Assert.Single(result["problems"]!.AsArray())!;
        Assert.Equal(("nodes.csv", 3, 3, "kind"), (problem["file"]!.GetValue<string>(), problem["line"]!.GetValue<int>(), problem["column"]!.GetValue<int>(), problem["field"]!.GetValue<string>()));
        Assert.StartsWith("nodes.csv:3:3 (kind): 'COMPANYY' is not a", problem["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(result["changeId"]);
        Assert.Equal(0, result["organisations"]!.GetValue<int>());
        Assert.Equal(before, await app.CountAsync());
        Assert.Null(await app.Anonymous.OrganisationAsync("bad-upload-trust"));
    }

    [Fact]
    public async Task ImportCsv_DanglingReference_WritesNothing()
    {
        var before = await app.CountAsync();

        var result = (await app.Writer.QueryAsync(Import, Files(("sources.csv", "id,title\ns-dangling,S"),
            ("nodes.csv", "id,name,kind,sector,sources\ndangling-a,A,COMPANY,PRIVATE,s-dangling"),
            ("relationships.csv", "type,from,to,sources\nOWNED_BY,dangling-a,nobody-at-all,s-dangling"))))["importCsv"]!;

        Assert.False(result["imported"]!.GetValue<bool>());
        Assert.Equal("relationships.csv:2:3 (to): node 'nobody-at-all' is not in nodes.csv or the store", Assert.Single(result["problems"]!.AsArray())!["message"]!.GetValue<string>());
        Assert.Equal(before, await app.CountAsync());
        Assert.Null(await app.Anonymous.OrganisationAsync("dangling-a"));
    }

    [Fact]
    public async Task ImportCsv_MissingRequiredFile_ReportsItWithoutNamingServerPaths()
    {
        var result = (await app.Writer.QueryAsync(Import, Files(("nodes.csv", Nodes))))["importCsv"]!;

        Assert.False(result["imported"]!.GetValue<bool>());
        var message = Assert.Single(result["problems"]!.AsArray())!["message"]!.GetValue<string>();
        Assert.Equal("sources.csv:0:0: required file sources.csv is missing from the upload", message);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), result.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../nodes.csv")]
    [InlineData("manifest.csv")]
    [InlineData("Nodes.csv")]
    [InlineData("")]
    public async Task ImportCsv_FileNameNotOfTheFormat_IsInvalidArgument(string name)
    {
        var (_, errors) = await app.Writer.FailAsync(Import, Files(("sources.csv", Sources), (name, Nodes)));

        Assert.Equal(("INVALID_ARGUMENT", "files[1].name"), (errors[0]!.Code(), OrganisationWriteTests.Field(errors[0]!)));
    }

    [Fact]
    public async Task ImportCsv_SameFileTwice_IsInvalidArgument()
    {
        var (_, errors) = await app.Writer.FailAsync(Import, Files(("sources.csv", Sources), ("nodes.csv", Nodes), ("nodes.csv", Nodes)));

        Assert.Equal(("INVALID_ARGUMENT", "files[2].name"), (errors[0]!.Code(), OrganisationWriteTests.Field(errors[0]!)));
    }

    [Fact]
    public async Task ImportCsv_WithoutKey_IsUnauthenticatedAndWritesNothing()
    {
        var before = await app.CountAsync();
        var nodes = Nodes.Replace("upload-", "anon-upload-", StringComparison.Ordinal);

        var (_, errors) = await app.Anonymous.FailAsync(Import, Files(("sources.csv", Sources.Replace("upload-", "anon-upload-", StringComparison.Ordinal)), ("nodes.csv", nodes)));

        Assert.Equal("UNAUTHENTICATED", errors[0]!.Code());
        Assert.Equal(before, await app.CountAsync());
        Assert.Null(await app.Anonymous.OrganisationAsync("anon-upload-trust"));
    }

    private static object Files(params (string Name, string Content)[] files) =>
        new { files = files.Select(f => new { name = f.Name, content = f.Content }).ToArray() };
}
