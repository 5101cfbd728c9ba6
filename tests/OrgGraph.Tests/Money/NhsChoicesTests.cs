using System.Text;
using OrgGraph.Importing;
using OrgGraph.Importing.Money;
using OrgGraph.Importing.Official;
using OrgGraph.Model;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Money;

/// <summary>
/// The NHS Choices provider lists of February 2014 (seed/money/providers): independent providers and their hospital sites,
/// on the seed through HTTP, and the reader on the real files and on malformed copies. Expectations are counted from the
/// files here by splitting on ¬, not by the reader.
/// </summary>
public sealed class NhsChoicesTests(SeededApp app) : IClassFixture<SeededApp>, IDisposable
{
    private const string Trusts = "providers/nhschoices_trust_2014-02.csv";
    private const string Hospitals = "providers/nhschoices_hospital_2014-02.csv";

    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-nhschoices-").FullName;
    private readonly Observations _obs = new();
    private readonly List<ImportProblem> _problems = [];

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData("NT4", "BMI Healthcare")]
    [InlineData("NVC", "Ramsay Healthcare UK Operations Limited")]
    public async Task IndependentProvider_IsPrivate_AndItsSitesAreOperatedByIt(string code, string name)
    {
        var sites = Rows(Hospitals).Where(r => r["ParentODSCode"] == code).Select(r => r["OrganisationCode"]).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(sites);

        var data = await app.Client.QueryAsync("""
            query($id: ID!) { organisation(id: $id) { name kind sector sources { id licence }
              relationships(types: [OPERATED_BY], direction: INCOMING, first: 1000) { nodes { from { id sector kind } validFrom validTo } } } }
            """, new { id = code });

        var org = data["organisation"]!;
        Assert.Equal((name, "COMPANY", "PRIVATE"), (org["name"]!.GetValue<string>(), org["kind"]!.GetValue<string>(), org["sector"]!.GetValue<string>()));
        Assert.Contains(org["sources"]!.AsArray(), s => s!["id"]!.GetValue<string>() == "nhschoices-trust-2014-02" && s["licence"]!.GetValue<string>() == "OGL-2.0");
        var operated = org["relationships"]!["nodes"]!.AsArray().Select(r => r!).ToList();
        Assert.Equal(sites, operated.Select(r => r["from"]!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(operated, r =>
        {
            Assert.Equal(("PRIVATE", "OTHER"), (r["from"]!["sector"]!.GetValue<string>(), r["from"]!["kind"]!.GetValue<string>()));
            Assert.Equal("2014-02-22", r["validFrom"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task IndependentSite_WithAnNhsTrustParent_KeepsTheFilesSector_TheTrustStaysPublic()
    {
        var quirk = Rows(Hospitals).First(r => r["Sector"] == "Independent Sector" && r["ParentODSCode"].StartsWith('R'));

        var data = await app.Client.QueryAsync("""
            query($site: ID!, $trust: ID!) { site: organisation(id: $site) { sector properties { key value } parent: relationships(types: [OPERATED_BY], direction: OUTGOING) { nodes { to { id } } } }
              trust: organisation(id: $trust) { kind sector } }
            """, new { site = quirk["OrganisationCode"], trust = quirk["ParentODSCode"] });

        Assert.Equal("PRIVATE", data["site"]!["sector"]!.GetValue<string>());
        Assert.Contains(data["site"]!["properties"]!.AsArray(), p => p!["key"]!.GetValue<string>() == "nhsChoicesSector" && p["value"]!.GetValue<string>() == "Independent Sector");
        Assert.Equal(quirk["ParentODSCode"], data["site"]!["parent"]!["nodes"]![0]!["to"]!["id"]!.GetValue<string>());
        Assert.Equal(("TRUST", "PUBLIC"), (data["trust"]!["kind"]!.GetValue<string>(), data["trust"]!["sector"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SiteName_IsDecodedAsWindows1252_NotLatin1()
    {
        // Byte 0x92 is ’ in Windows-1252; Latin-1 would read it as the control character U+0092.
        var raw = File.ReadAllBytes(SpendFile.PathOf(Hospitals));
        var line = Lines(Hospitals).Select((l, i) => (l, i)).First(p => p.l.Contains('\u0092')).l;
        var code = line.Split('\u00AC')[1];
        Assert.Contains((byte)0x92, raw);

        var data = await app.Client.QueryAsync("query($id: ID!) { organisation(id: $id) { name } }", new { id = code });

        var name = data["organisation"]!["name"]!.GetValue<string>();
        Assert.Equal(line.Split('\u00AC')[7].Replace('\u0092', '\u2019'), name);
        Assert.Contains("St George\u2019s", name);
    }

    [Fact]
    public void Read_Hospitals_OneSitePerCode_IndependentSitesAsInTheFile()
    {
        var rows = Rows(Hospitals);
        var independent = rows.Where(r => r["Sector"] == "Independent Sector").Select(r => r["OrganisationCode"]).ToHashSet(StringComparer.Ordinal);
        var distinct = rows.Select(r => r["OrganisationCode"]).ToHashSet(StringComparer.Ordinal);
        Assert.True(rows.Count > distinct.Count);

        Read(Hospitals);
        var sites = _obs.Build().Nodes.Where(n => n.SourceIds.Contains("test")).ToList();

        Assert.Empty(_problems);
        Assert.Equal(distinct.Count, sites.Count);
        Assert.Equal(independent.Order(StringComparer.Ordinal), sites.Where(n => n.Sector == Sector.Private).Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.Contains(_obs.Report.Notes, n => n.Contains($"{rows.Count} row(s), {distinct.Count} site(s): {rows.Count - Lines(Hospitals).Skip(1).Distinct(StringComparer.Ordinal).Count()} exact duplicate row(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SitesOfTrustsClosedBeforeTheSnapshot_AreReportedEachAndKeepNoOperator()
    {
        string[] etr = ["etr_2022-03.csv", "etr_2025-12.csv"];
        var closed = etr.SelectMany(OfficialFile.ReadHeadless)
            .Where(r => r[11].Length == 8 && string.CompareOrdinal(r[11], "20140222") < 0)
            .Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var expected = Rows(Hospitals).Where(r => closed.Contains(r["ParentODSCode"])).Select(r => r["OrganisationCode"]).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(expected);

        foreach (var file in etr)
        {
            new OdsReader().Read(new ManifestEntry
            {
                File = "official/" + file,
                Format = OdsReader.Etr,
                Describes = new DateOnly(int.Parse(file[4..8], System.Globalization.CultureInfo.InvariantCulture), int.Parse(file[9..11], System.Globalization.CultureInfo.InvariantCulture), 1),
                Source = new Source { Id = file, Title = file },
            }, Path.Combine(Repo.Seed, "official", file), _obs, _problems);
        }

        var reader = new NhsChoicesReader();
        reader.Read(new ManifestEntry { File = "money/test.csv", Format = NhsChoicesReader.Format, Describes = new DateOnly(2014, 2, 22), Source = new Source { Id = "test", Title = "test" } },
            SpendFile.PathOf(Hospitals), _obs, _problems);
        reader.Complete(_obs);
        var batch = _obs.Build();

        Assert.Empty(_problems);
        var reported = _obs.Report.Notes.Where(n => n.Contains("before the file's date; OPERATED_BY left out", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), reported.Select(n => n.Split("site ")[1].Split(':')[0]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(batch.Relationships, r => r.Type == RelationshipType.OperatedBy && expected.Contains(r.From));
        Assert.Contains(batch.Relationships, r => r.Type == RelationshipType.OperatedBy && r.To == "RJ1");
    }

    [Fact]
    public void Read_CommaSeparatedCopy_IsRefusedAtTheHeader()
    {
        var path = Copy(Trusts, l => l.Replace('\u00AC', ','));

        Read(path);

        var problem = Assert.Single(_problems);
        Assert.Equal(("money/test.csv", 1, 1), (problem.File, problem.Line, problem.Column));
        Assert.Contains("not ¬-separated", problem.Reason);
    }

    [Fact]
    public void Read_ShortRowAndMissingColumn_AreReportedWithLineAndColumn()
    {
        var lines = Lines(Hospitals);
        var shortRow = lines[5].Split('\u00AC');
        var path = Copy(Hospitals, l => l == lines[5] ? string.Join('\u00AC', shortRow.Take(10)) : l);
        var noParent = Copy(Hospitals, l => l == lines[0] ? l.Replace("ParentODSCode", "ParentCode", StringComparison.Ordinal) : l);

        Read(path);
        Read(noParent);

        Assert.Contains(_problems, p => p.Line == 6 && p.Column == 11 && p.Field == lines[0].Split('\u00AC')[10] && p.Reason.Contains("found 10", StringComparison.Ordinal));
        Assert.Contains(_problems, p => (p.File, p.Line, p.Column, p.Field) == ("money/test.csv", 1, 1, "ParentODSCode") && p.Reason.Contains("missing", StringComparison.Ordinal));
    }

    /// <summary>The file's lines, decoded byte for byte (Latin-1 keeps every byte, so ¬ = 0xAC splits the fields).</summary>
    private static List<string> Lines(string relative) =>
        File.ReadAllText(SpendFile.PathOf(relative), Encoding.Latin1).Split("\r\n").Where(l => l.Length > 0).ToList();

    private static List<Dictionary<string, string>> Rows(string relative)
    {
        var lines = Lines(relative);
        var header = lines[0].Split('\u00AC');
        return lines.Skip(1).Select(l => header.Zip(l.Split('\u00AC')).ToDictionary(p => p.First, p => p.Second.Trim())).ToList();
    }

    private string Copy(string relative, Func<string, string> change)
    {
        var path = Path.Combine(_work, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, string.Join("\r\n", Lines(relative).Select(change)) + "\r\n", Encoding.Latin1);
        return path;
    }

    private void Read(string pathOrRelative) =>
        new NhsChoicesReader().Read(new ManifestEntry
        {
            File = "money/test.csv",
            Format = NhsChoicesReader.Format,
            Describes = new DateOnly(2014, 2, 22),
            Source = new Source { Id = "test", Title = "test" },
            Line = 7,
        }, Path.IsPathRooted(pathOrRelative) ? pathOrRelative : SpendFile.PathOf(pathOrRelative), _obs, _problems);
}
