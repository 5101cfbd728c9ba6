using System.Xml.Linq;
using Microsoft.Playwright;
using OrgGraph.Importing;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Explorer;

/// <summary>
/// The explorer page (/explorer) in a real browser, as an investigator uses it: Debian's Chromium driven by
/// Playwright against the real API on a loopback port with the seeded store and the production rate limit. Every
/// test also checks that the page had no script or console error (a Content-Security-Policy refusal is one), made
/// no request to another origin and was never rate limited.
/// </summary>
public sealed class ExplorerBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>THE MITCHISON ROAD SURGERY, a GP practice operated by AT Medics (seed/curated/relationships.csv).</summary>
    private const string Practice = "F83056";
    private const string AtMedics = "CH:05057581";
    private const string GraphMLNamespace = "http://graphml.graphdrawing.org/xmlns";

    [Fact]
    public async Task SearchByName_OpensTheOrganisation_WithItsDetailsAndNeighbourhood()
    {
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.FillAsync("#search", "Operose");
        await page.ClickAsync("#search-results li[data-id='operose-health']");

        await Expect(page.Locator("#details-title")).ToHaveTextAsync("Operose Health Ltd");
        var details = page.Locator("#details");
        await Expect(details).ToContainTextAsync("REPORTED"); // confidence
        await Expect(details).ToContainTextAsync("Relationships");
        await Expect(details.Locator(".relationships li").First).ToBeVisibleAsync();
        // Relationships come with their sources as links.
        Assert.True(await details.Locator(".relationships a[href^='https://']").CountAsync() > 0);
        // Names over time: Operose Health was formed in 2020.
        await Expect(details).ToContainTextAsync("from 2020-01-01");

        await session.WaitForNodesAsync(2);
        var nodes = await session.NodeIdsAsync();
        Assert.Contains("operose-health", nodes);
        Assert.Contains(AtMedics, nodes); // Operose owned AT Medics
        Assert.Contains("#org=operose-health", page.Url, StringComparison.Ordinal);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task SearchByOdsCode_EnterOpensTheFirstMatch_AndANodeExpands()
    {
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.FillAsync("#search", Practice);
        await page.WaitForSelectorAsync($"#search-results li[data-id='{Practice}']");
        await page.PressAsync("#search", "Enter");

        await Expect(page.Locator("#details-title")).ToHaveTextAsync("THE MITCHISON ROAD SURGERY");
        await Expect(page.Locator("#details")).ToContainTextAsync("GP practice");
        await session.WaitForNodesAsync(2);
        var before = await session.NodeIdsAsync();
        Assert.Contains(AtMedics, before);
        Assert.DoesNotContain("operose-health", before);

        // Double-clicking AT Medics adds its own relationships: its owner Operose Health among them.
        await page.EvaluateAsync("id => { cy.getElementById(id).emit('dbltap'); }", AtMedics);
        await page.WaitForFunctionAsync("() => cy.getElementById('operose-health').nonempty()");
        Assert.True((await session.NodeIdsAsync()).Length > before.Length);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task PrivatisationPath_IsDrawnWithLabelledEdges_AndTheExportsCarryItWithItsCitations()
    {
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.FillAsync("#as-of", "2022-06-01");
        await page.SelectOptionAsync("#query-kind", "privatisationPaths");
        await page.FillAsync("#query-from", Practice);
        await page.ClickAsync("#query-run");

        await Expect(page.Locator("#path-list li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#query-status")).ToContainTextAsync("1 path on 2022-06-01");
        await session.WaitForNodesAsync(5);
        var nodes = await session.NodeIdsAsync();
        Assert.Equal(new[] { Practice, AtMedics, "operose-health", "mh-services-international-uk", "centene-corporation" }.Order(), nodes.Order());
        // Each edge is labelled with its type and its dates.
        var labels = await session.EdgeLabelsAsync();
        Assert.Equal(4, labels.Length);
        Assert.Contains(labels, l => l.StartsWith("OPERATED_BY\n", StringComparison.Ordinal));
        Assert.Contains(labels, l => l == "OWNED_BY\nfrom 2021-02-10");
        // The path list names the first private organisation.
        await Expect(page.Locator("#path-list li .private")).ToHaveTextAsync("AT Medics Ltd");

        var graphml = await session.DownloadAsync("#export-graphml");
        Assert.Equal($"orggraph-privatisationPaths-{Practice}-2022-06-01.graphml", graphml.Name);
        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(graphml.Bytes));
        XNamespace g = GraphMLNamespace;
        string? Data(XElement element, string key) => element.Elements(g + "data").SingleOrDefault(d => (string?)d.Attribute("key") == key)?.Value;
        var graph = xml.Root!.Element(g + "graph")!;
        Assert.Equal("2022-06-01", Data(graph, "g_asOf"));
        var organisations = graph.Elements(g + "node").Where(n => Data(n, "n_labels")!.StartsWith(":Organisation", StringComparison.Ordinal)).ToList();
        Assert.Equal(nodes.Order(), organisations.Select(n => Data(n, "n_id")!).Order());
        var edges = graph.Elements(g + "edge").ToList();
        Assert.Equal(4, edges.Count);
        Assert.All(edges, e => Assert.False(string.IsNullOrEmpty(Data(e, "e_sourceUrls")), $"edge {Data(e, "e_type")} has no source"));
        var operated = Assert.Single(edges, e => Data(e, "e_type") == "OPERATED_BY");
        Assert.Equal(Practice, (string?)operated.Attribute("source"));
        Assert.Equal(AtMedics, (string?)operated.Attribute("target"));
        var expectedSource = CuratedSourceUrl("islington-tribune-hanley-2022"); // a source of that relationship in the seed
        Assert.Contains(expectedSource, Data(operated, "e_sourceUrls")!.Split(' '));
        Assert.Contains(expectedSource, Data(operated, "e_citations"), StringComparison.Ordinal);
        // The sources themselves are nodes labelled :Source, one per cited source.
        var sourceNodes = graph.Elements(g + "node").Where(n => Data(n, "n_labels") == ":Source").ToList();
        var cited = edges.SelectMany(e => Data(e, "e_sources")!.Split(';')).ToHashSet();
        Assert.Equal(cited.Order(), sourceNodes.Select(n => Data(n, "n_id")!).Order());
        Assert.Contains(sourceNodes, n => Data(n, "n_url") == expectedSource);

        var csv = await session.DownloadAsync("#export-csv");
        Assert.EndsWith(".csv", csv.Name, StringComparison.Ordinal);
        var records = CsvReader.Read(new MemoryStream(csv.Bytes), csv.Name).Select(r => r.Fields).ToList();
        var header = records[0].ToList();
        var rows = records.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(nodes.Order(), rows.SelectMany(r => new[] { r["from_id"], r["to_id"] }).Distinct().Order());
        Assert.All(rows, r => Assert.NotEmpty(r["source_urls"]));
        Assert.Contains(expectedSource, Assert.Single(rows, r => r["type"] == "OPERATED_BY")["source_urls"].Split(' '));

        var png = await session.DownloadAsync("#export-png");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png.Bytes.Take(8));

        var svg = await session.DownloadAsync("#export-svg");
        var svgRoot = XDocument.Parse(System.Text.Encoding.UTF8.GetString(svg.Bytes)).Root!;
        Assert.Equal("svg", svgRoot.Name.LocalName);
        Assert.Contains("AT Medics Ltd", svgRoot.Value, StringComparison.Ordinal);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task WhoControls_DrawsEveryChain_AndTheDateControlRedrawsThem()
    {
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.SelectOptionAsync("#query-kind", "whoControls");
        await page.FillAsync("#query-from", Practice);
        await page.FillAsync("#as-of", "2022-06-01"); // no question yet: only remembered
        await page.ClickAsync("#query-run");

        await Expect(page.Locator("#path-list li")).ToHaveCountAsync(3);
        var on2022 = await session.NodeIdsAsync();
        Assert.Contains("centene-corporation", on2022); // through Operose Health and AT Medics
        Assert.Contains("nhs-england", on2022); // through its region, ICB and commissioner
        Assert.Contains("contract:ocds-26cf3497-62d5-473d-9005-373e51cbe004", on2022); // N E L CSU's T7 award to AT Medics (2020-2024)

        // Selecting a chain highlights it and fades the rest.
        await page.ClickAsync("#path-list li >> nth=0");
        Assert.True(await page.EvaluateAsync<int>("() => cy.elements('.highlighted').length") > 0);
        Assert.True(await page.EvaluateAsync<int>("() => cy.elements('.faded').length") > 0);

        // Clicking an edge shows its sources.
        var edge = await page.EvaluateAsync<string>("() => cy.edges().filter(e => e.data('type') === 'OPERATED_BY')[0].id()");
        await page.EvaluateAsync("id => { cy.getElementById(id).emit('tap'); }", edge);
        await Expect(page.Locator("#details-title")).ToHaveTextAsync("operated by");
        await Expect(page.Locator("#details .sources a").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^https?://"));

        // On 2024-06-01 Operose Health belongs to T20, no longer to Centene: the same question is asked again.
        await page.FillAsync("#as-of", "2024-06-01");
        await page.WaitForFunctionAsync("() => cy.getElementById('t20-osprey-midco').nonempty()");
        var on2024 = await session.NodeIdsAsync();
        Assert.DoesNotContain("centene-corporation", on2024);
        Assert.Contains("2024-06-01", page.Url, StringComparison.Ordinal);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Connections_BetweenTwoOrganisations_AreDrawnWithEveryRelationshipCited()
    {
        await using var session = await browser.OpenAsync("#q=connections&from=operose-health&to=QMJ&asOf=2022-06-01");
        var page = session.Page;

        await Expect(page.Locator("#query-kind")).ToHaveValueAsync("connections");
        var paths = page.Locator("#path-list li");
        await Expect(paths.First).ToBeVisibleAsync();
        Assert.True(await paths.CountAsync() > 1);
        var nodes = await session.NodeIdsAsync();
        Assert.Contains("operose-health", nodes);
        Assert.Contains("QMJ", nodes);

        // Many relationships, read a few organisations per request: every one is cited in the export.
        var graphml = await session.DownloadAsync("#export-graphml");
        XNamespace g = GraphMLNamespace;
        var edges = XDocument.Parse(System.Text.Encoding.UTF8.GetString(graphml.Bytes)).Descendants(g + "edge").ToList();
        Assert.Equal(await page.EvaluateAsync<int>("() => cy.edges().length"), edges.Count);
        Assert.All(edges, e => Assert.Contains(e.Elements(g + "data"), d => (string?)d.Attribute("key") == "e_sourceUrls" && d.Value.StartsWith("http", StringComparison.Ordinal)));
        Assert.InRange(session.GraphQLRequests, 2, 20);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task UnknownOrganisation_SaysSo()
    {
        await using var session = await browser.OpenAsync();
        var page = session.Page;

        await page.FillAsync("#query-from", "no-such-organisation");
        await page.ClickAsync("#query-run");

        await Expect(page.Locator("#query-status")).ToContainTextAsync("NOT_FOUND");
        Assert.Empty(await session.NodeIdsAsync());
        session.AssertNoProblems();
    }

    /// <summary>
    /// The README's picture (docs/explorer.png): who controls an AT Medics practice on 2022-06-01, the ownership chain
    /// selected and the relationship to AT Medics open with its sources. Written where ORGGRAPH_EXPLORER_SCREENSHOT
    /// says (relative to the repository), e.g. <c>ORGGRAPH_EXPLORER_SCREENSHOT=docs/explorer.png dotnet test --filter Screenshot</c>.
    /// </summary>
    [Fact]
    public async Task Screenshot_OfAControlChainDrawn()
    {
        await using var session = await browser.OpenAsync($"#q=whoControls&from={Practice}&maxHops=8&asOf=2022-06-01", 1600, 900);
        var page = session.Page;
        await Expect(page.Locator("#path-list li")).ToHaveCountAsync(3);
        await page.ClickAsync("#path-list li >> nth=0");
        var edge = await page.EvaluateAsync<string>("() => cy.edges().filter(e => e.data('type') === 'OPERATED_BY')[0].id()");
        await page.EvaluateAsync("id => { cy.getElementById(id).select(); cy.getElementById(id).emit('tap'); }", edge);
        await Expect(page.Locator("#details .sources a").First).ToBeVisibleAsync();

        var png = await page.ScreenshotAsync();

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        if (Environment.GetEnvironmentVariable("ORGGRAPH_EXPLORER_SCREENSHOT") is { Length: > 0 } target)
        {
            await File.WriteAllBytesAsync(Path.Combine(Repo.Root, target), png);
        }

        session.AssertNoProblems();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static string CuratedSourceUrl(string id)
    {
        using var stream = File.OpenRead(Path.Combine(Repo.Seed, "curated", "sources.csv"));
        var records = CsvReader.Read(stream, "sources.csv").Select(r => r.Fields).ToList();
        var url = records[0].ToList().IndexOf("url");
        return records.Single(r => r[0] == id)[url];
    }
}
