using GraphQL;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrgGraph.Api.GraphQL;

namespace OrgGraph.Api.Http;

/// <summary>The bare comparison endpoint of the HTTP benchmark (section <c>Benchmark</c>; see docs/benchmarks.md).</summary>
public sealed class BenchmarkOptions
{
    public const string Section = "Benchmark";

    /// <summary>Map <c>GET</c>/<c>POST /bench/bare</c>. Default false: it exists only for the load test.</summary>
    public bool BareEndpoint { get; set; }

    /// <summary>The lookup whose answer <c>/bench/bare</c> returns; the load test POSTs the same one to <c>/graphql</c>.</summary>
    public string Query { get; set; } = """{ organisation(id: "QT1") { id name kind } }""";
}

/// <summary>
/// <c>/bench/bare</c>: the same bytes and content type that <c>/graphql</c> answers for the benchmark lookup,
/// computed once (by running the lookup through the same executor and serializer when first asked after the
/// store is ready) and then written as they are, so a load test can measure what GraphQL costs on top of
/// ASP.NET Core and the same middleware.
/// </summary>
internal static class BareBenchmarkEndpoint
{
    public const string Pattern = "/bench/bare";

    public static WebApplication MapBareBenchmarkEndpoint(this WebApplication app)
    {
        var options = app.Configuration.GetSection(BenchmarkOptions.Section).Get<BenchmarkOptions>() ?? new BenchmarkOptions();
        if (options.BareEndpoint)
        {
            app.MapMethods(Pattern, [HttpMethods.Get, HttpMethods.Post], new PrecomputedAnswer(options.Query).WriteAsync);
        }

        return app;
    }

    private sealed class PrecomputedAnswer(string query)
    {
        private const string ContentType = GraphQLHttpEndpoint.GraphQLResponseJson + "; charset=utf-8";

        private readonly SemaphoreSlim _computing = new(1, 1);
        private volatile byte[]? _body;

        public async Task WriteAsync(HttpContext http)
        {
            if ((_body ?? await ComputeAsync(http)) is not { } body)
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = ContentType;
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }

        /// <summary>The answer, once the store is ready (null before).</summary>
        private async Task<byte[]?> ComputeAsync(HttpContext http)
        {
            var services = http.RequestServices;
            var readiness = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains("ready"), http.RequestAborted);
            if (readiness.Status != HealthStatus.Healthy)
            {
                return null;
            }

            await _computing.WaitAsync(http.RequestAborted);
            try
            {
                if (_body is { } done)
                {
                    return done;
                }

                var result = await services.GetRequiredService<IDocumentExecuter<OrgGraphSchema>>().ExecuteAsync(new ExecutionOptions
                {
                    Query = query,
                    RequestServices = services,
                    CancellationToken = http.RequestAborted,
                });
                if (!result.Executed || result.Errors is { Count: > 0 })
                {
                    throw new InvalidOperationException($"The benchmark lookup (Benchmark:Query) must run without errors: {result.Errors?[0].Message}");
                }

                using var buffer = new MemoryStream();
                await services.GetRequiredService<IGraphQLTextSerializer>().WriteAsync(buffer, result, http.RequestAborted);
                return _body = buffer.ToArray();
            }
            finally
            {
                _computing.Release();
            }
        }
    }
}
