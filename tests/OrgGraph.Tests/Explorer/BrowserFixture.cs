using Microsoft.Playwright;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Explorer;

/// <summary>
/// The seeded API on a loopback port and Debian's Chromium driven by Playwright, shared by the browser tests of a
/// class. Playwright never downloads a browser here: it launches the system Chromium (<c>/usr/bin/chromium</c>, or
/// <c>ORGGRAPH_CHROMIUM</c>), headless, with its background networking off (the machines' network is closed).
/// Without Chromium the tests fail, saying how to install it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("ORGGRAPH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public LoopbackApp App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}, so the explorer's browser tests cannot run. Install Debian's " +
                "Chromium as root: `apt-get install -y chromium` (after `apt-get update` on a fresh machine; .ci/run does this), " +
                "or set ORGGRAPH_CHROMIUM to a Chromium executable. Playwright's own browser download (`playwright install`) is not used.");
        }

        App = await LoopbackApp.StartAsync();
        await WarmUpAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>
    /// Builds the store's traversal index before the page asks its first path question: on a cold start that build
    /// can take longer than the 2 s traversal limit, which a test would see as a TIMEOUT.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var client = App.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var (status, body) = await client.PostAsync("{ whoControls(id: \"QT1\") { length } }");
            if (status == System.Net.HttpStatusCode.OK && !body.Contains("\"errors\"", StringComparison.Ordinal))
            {
                return;
            }
        }
    }

    /// <summary>A new browser session on the explorer page (with <paramref name="fragment"/>, e.g. "#org=QT1"), loaded.</summary>
    public async Task<ExplorerSession> OpenAsync(string fragment = "", int width = 1440, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
        });
        var session = new ExplorerSession(context, await context.NewPageAsync(), App.BaseAddress);
        await session.Page.GotoAsync("/explorer" + fragment);
        await session.Page.WaitForFunctionAsync("() => window.cy !== undefined");
        return session;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

/// <summary>
/// One page of the explorer in its own browser context, recording what a test must not see: script errors, console
/// errors (a refused Content-Security-Policy among them), requests leaving the server's origin, and rate-limited answers.
/// </summary>
public sealed class ExplorerSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];
    private int _graphqlRequests;

    public ExplorerSession(IBrowserContext context, IPage page, Uri origin)
    {
        _context = context;
        Page = page;
        var sameOrigin = origin.GetLeftPart(UriPartial.Authority);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record($"page error: {error}");
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(sameOrigin + "/", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal) &&
                !request.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                Record($"request to another origin: {request.Url}");
            }

            if (request.Url.StartsWith(sameOrigin + "/graphql", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _graphqlRequests);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status == 429)
            {
                Record($"rate limited: {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>How many requests the page made to /graphql.</summary>
    public int GraphQLRequests => Volatile.Read(ref _graphqlRequests);

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>Fails the test if the page had a script or console error, left the origin or was rate limited.</summary>
    public void AssertNoProblems()
    {
        lock (_problems)
        {
            Assert.True(_problems.Count == 0, "The explorer page had problems:\n" + string.Join("\n", _problems));
        }
    }

    /// <summary>The ids of the organisations drawn, read from Cytoscape.</summary>
    public Task<string[]> NodeIdsAsync() => Page.EvaluateAsync<string[]>("() => cy.nodes().map(n => n.id())");

    /// <summary>The labels of the relationships drawn ("TYPE\ndates"), read from Cytoscape.</summary>
    public Task<string[]> EdgeLabelsAsync() => Page.EvaluateAsync<string[]>("() => cy.edges().map(e => e.data('label'))");

    /// <summary>Waits until Cytoscape draws at least <paramref name="count"/> nodes.</summary>
    public Task WaitForNodesAsync(int count = 1) =>
        Page.WaitForFunctionAsync("n => cy.nodes().length >= n", count);

    /// <summary>Clicks an export button and returns the downloaded file's name and bytes.</summary>
    public async Task<(string Name, byte[] Bytes)> DownloadAsync(string button)
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.ClickAsync(button));
        var path = Path.Combine(Path.GetTempPath(), $"orggraph-explorer-{Guid.NewGuid():N}");
        try
        {
            await download.SaveAsAsync(path);
            return (download.SuggestedFilename, await File.ReadAllBytesAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
