namespace OrgGraph.Api.Http;

/// <summary>
/// The explorer page at <c>/explorer</c> (README, Explorer): plain HTML, CSS and JavaScript in wwwroot/explorer/ and
/// Cytoscape.js copied from npm into wwwroot/explorer/lib/ at build time (Explorer/Explorer.targets; no CDN). The page
/// reads the public GraphQL API only. When the build had no npm, a page explains how to get it; the API works either way.
/// </summary>
internal static class ExplorerPage
{
    public const string Path = "/explorer";

    /// <summary>
    /// Same origin only: scripts and styles from this server (styles may also be set inline, as Cytoscape.js sizes its
    /// canvases), requests to /graphql, images drawn into data: and blob: URLs for the PNG export; no framing.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Sends the page's security headers with everything under <c>/explorer</c> (the page and its assets).</summary>
    public static IApplicationBuilder UseExplorerSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase))
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
            }

            return next(http);
        });

    public static IEndpointRouteBuilder MapExplorer(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, WriteAsync); // routing matches /explorer/ too
        return app;
    }

    private static async Task WriteAsync(HttpContext http, IWebHostEnvironment environment)
    {
        var files = environment.WebRootFileProvider;
        var page = files.GetFileInfo("explorer/lib/cytoscape.min.js").Exists ? "explorer/index.html" : "explorer/missing.html";
        var file = files.GetFileInfo(page);
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        if (!file.Exists)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsync("<!doctype html><title>OrgGraph</title><p>The explorer page is missing from this build. POST GraphQL requests to /graphql.</p>");
            return;
        }

        await using var stream = file.CreateReadStream();
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
