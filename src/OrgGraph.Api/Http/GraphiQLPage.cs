namespace OrgGraph.Api.Http;

/// <summary>
/// Serves the GraphiQL IDE, whose assets are copied from npm into wwwroot at build time (no CDN). When the
/// build had no npm, a page explains how to get the IDE; the API works either way.
/// </summary>
internal static class GraphiQLPage
{
    public static async Task WriteAsync(HttpContext http, IWebHostEnvironment environment)
    {
        var files = environment.WebRootFileProvider;
        var page = files.GetFileInfo("graphiql/lib/graphiql.min.js").Exists ? "graphiql/index.html" : "graphiql/missing.html";
        var file = files.GetFileInfo(page);
        http.Response.ContentType = "text/html; charset=utf-8";
        if (!file.Exists)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsync("<!doctype html><title>OrgGraph</title><p>The GraphiQL page is missing from this build. POST GraphQL requests to /graphql.</p>");
            return;
        }

        await using var stream = file.CreateReadStream();
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
