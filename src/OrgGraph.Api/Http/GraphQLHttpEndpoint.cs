using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Validation;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrgGraph.Api.GraphQL;
using OrgGraph.Storage;

namespace OrgGraph.Api.Http;

/// <summary>
/// GraphQL over HTTP as the GraphQL-over-HTTP spec describes it: POST with a JSON body, GET with query
/// parameters; <c>application/graphql-response+json</c> by default (4xx when a request fails to parse or
/// validate) and legacy <c>application/json</c> (always 200) when the client asks only for that.
/// A browser's GET with no query gets the GraphiQL IDE.
/// </summary>
internal static class GraphQLHttpEndpoint
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    public static IEndpointRouteBuilder MapGraphQLHttp(this IEndpointRouteBuilder app, string pattern)
    {
        app.MapPost(pattern, PostAsync).AddEndpointFilter(UnlessClientAbortsAsync);
        app.MapGet(pattern, GetAsync).AddEndpointFilter(UnlessClientAbortsAsync);
        return app;
    }

    /// <summary>
    /// A request whose client went away (<see cref="HttpContext.RequestAborted"/>) is not a server error: it is logged at
    /// Information, without a stack trace, and answered (to nobody) with 499, the status proxies use for it.
    /// </summary>
    private static async ValueTask<object?> UnlessClientAbortsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GraphQLHttpEndpoint))
                .LogInformation("The client closed the request {Method} {Path} before it was answered", http.Request.Method, http.Request.Path.Value);
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = ClientClosedRequest;
            }

            return Results.Empty;
        }
    }

    /// <summary>The status nginx logs for a request the client closed; never seen by the client.</summary>
    private const int ClientClosedRequest = 499;

    private static async Task PostAsync(HttpContext http, IGraphQLTextSerializer serializer)
    {
        if (Negotiate(http.Request) is not { } mediaType)
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status406NotAcceptable, Json,
                $"None of the media types in Accept can be produced; use {GraphQLResponseJson} or {Json}.");
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType) ||
            !contentType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase) ||
            (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status415UnsupportedMediaType, mediaType,
                $"POST bodies must be {Json} (UTF-8); got '{http.Request.ContentType ?? "no Content-Type"}'.");
            return;
        }

        // Limits (docs/security.md): the body is read under GraphQL:MaxRequestBytes before it is parsed; batches are refused.
        var maxBytes = http.RequestServices.GetRequiredService<IOptions<GraphQLOptions>>().Value.MaxRequestBytes;
        await using var body = await RequestBody.ReadAsync(http.Request, maxBytes, http.RequestAborted);
        if (body is null)
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status413PayloadTooLarge, mediaType,
                $"The request body is larger than the limit of {maxBytes} bytes.", RequestBody.TooLargeCode);
            return;
        }

        if (RequestBody.IsJsonArray(body))
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, mediaType,
                "Batches (a JSON array of requests) are not accepted; send one GraphQL request (a JSON object) per HTTP request.");
            return;
        }

        GraphQLRequest? request;
        try
        {
            request = await serializer.ReadAsync<GraphQLRequest>(body, http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, mediaType,
                $"The body is not a GraphQL request (a JSON object with a 'query' string): {FirstLine(e.Message)}");
            return;
        }

        await ExecuteAsync(http, serializer, mediaType, request);
    }

    private static async Task GetAsync(HttpContext http, IGraphQLTextSerializer serializer, IWebHostEnvironment environment)
    {
        var query = http.Request.Query;
        if (!query.ContainsKey("query") && AcceptsHtml(http.Request))
        {
            await GraphiQLPage.WriteAsync(http, environment);
            return;
        }

        if (Negotiate(http.Request) is not { } mediaType)
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status406NotAcceptable, Json,
                $"None of the media types in Accept can be produced; use {GraphQLResponseJson} or {Json}.");
            return;
        }

        var maxBytes = http.RequestServices.GetRequiredService<IOptions<GraphQLOptions>>().Value.MaxRequestBytes;
        if (http.Request.QueryString.Value?.Length > maxBytes)
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status414UriTooLong, mediaType,
                $"The query string is longer than the limit of {maxBytes} bytes; send large queries by POST.", RequestBody.TooLargeCode);
            return;
        }

        GraphQLRequest request;
        try
        {
            request = new GraphQLRequest
            {
                Query = query["query"].FirstOrDefault(),
                OperationName = query["operationName"].FirstOrDefault(),
                Variables = query["variables"].FirstOrDefault() is { Length: > 0 } v ? serializer.Deserialize<Inputs>(v) : null,
                Extensions = query["extensions"].FirstOrDefault() is { Length: > 0 } x ? serializer.Deserialize<Inputs>(x) : null,
                DocumentId = query["documentId"].FirstOrDefault(),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, mediaType,
                $"The 'variables' or 'extensions' parameter is not a JSON object: {FirstLine(e.Message)}");
            return;
        }

        await ExecuteAsync(http, serializer, mediaType, request, isGet: true);
    }

    private static async Task ExecuteAsync(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, GraphQLRequest? request, bool isGet = false)
    {
        // A persisted query may be named by documentId or extensions.persistedQuery alone (GraphQL/PersistedQueries.cs).
        if (string.IsNullOrWhiteSpace(request?.Query) && request?.DocumentId is null && request?.Extensions?.ContainsKey("persistedQuery") != true)
        {
            await RequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, mediaType, "The request has no 'query'.");
            return;
        }

        var services = http.RequestServices;
        var limits = services.GetRequiredService<IOptions<GraphQLOptions>>().Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(limits.Timeout);

        ExecutionResult result;
        try
        {
            // The request's store calls share one snapshot, so an import committing meanwhile is not half seen (IGraphStore.InSnapshotAsync).
            result = await services.GetRequiredService<IGraphStore>().InSnapshotAsync(() => services.GetRequiredService<IDocumentExecuter<OrgGraphSchema>>().ExecuteAsync(new ExecutionOptions
            {
                Query = string.IsNullOrWhiteSpace(request.Query) ? null : request.Query,
                DocumentId = request.DocumentId,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                RequestServices = services,
                User = http.User,
                CancellationToken = timeout.Token,
                ValidationRules = isGet ? [.. DocumentValidator.CoreRules, OnlyQueriesOverGet.Instance] : null,
                // A document cached from a POST must still be refused over GET if it is not a query.
                CachedDocumentValidationRules = isGet ? [OnlyQueriesOverGet.Instance] : null,
            }), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            result = new ExecutionResult { Executed = true, Errors = [ClientError.Timeout(limits.Timeout)] };
        }

        var status = mediaType == GraphQLResponseJson && !result.Executed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        if (isGet && result.Errors?.Any(e => e.Code == OnlyQueriesOverGet.Code) == true)
        {
            status = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "POST";
        }

        await WriteAsync(http, serializer, status, mediaType, result);
    }

    /// <summary>The response media type for the request's Accept header, or null when none can be produced.</summary>
    private static string? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return GraphQLResponseJson;
        }

        foreach (var type in accept.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            var name = type.MediaType.Value ?? "";
            if (name.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase) || name is "*/*" or "application/*")
            {
                return GraphQLResponseJson;
            }

            if (name.Equals(Json, StringComparison.OrdinalIgnoreCase))
            {
                return Json;
            }
        }

        return null;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static Task RequestErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, int status, string mediaType, string message, string code = "BAD_REQUEST") =>
        WriteAsync(http, serializer, status, mediaType, new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] });

    private static async Task WriteAsync(HttpContext http, IGraphQLTextSerializer serializer, int status, string mediaType, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
