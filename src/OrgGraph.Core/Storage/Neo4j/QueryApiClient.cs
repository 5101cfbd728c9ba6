using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OrgGraph.Storage.Neo4j;

/// <summary>Where and how to reach Neo4j (section <c>Storage:Neo4j</c>). The password and token are secrets: never logged.</summary>
public sealed class Neo4jOptions
{
    public const string Section = "Storage:Neo4j";

    /// <summary>Base URI of the HTTP server, e.g. http://localhost:7474 or https://xxxx.databases.neo4j.io.</summary>
    public Uri? Uri { get; set; }

    public string Database { get; set; } = "neo4j";

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>A bearer token (SSO); used instead of user and password when set.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Time one request may take. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rows per UNWIND batch when importing. Default 1,000.</summary>
    public int BatchSize { get; set; } = 1_000;

    public override string ToString() => $"{Uri} (database {Database}, user {User ?? "-"})";
}

/// <summary>A result of the Query API in its plain JSON format: field names and rows of values.</summary>
public sealed record QueryResult(IReadOnlyList<string> Fields, IReadOnlyList<JsonElement[]> Rows)
{
    public int Index(string field)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (Fields[i] == field)
            {
                return i;
            }
        }

        throw new Neo4jException("OrgGraph.Decoding", $"the result has no field '{field}' (fields: {string.Join(", ", Fields)})");
    }
}

/// <summary>An error Neo4j reported (its status code, e.g. Neo.ClientError.Statement.SyntaxError) or a response we cannot read.</summary>
public class Neo4jException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}

/// <summary>401: the credentials were refused.</summary>
public sealed class Neo4jAuthenticationException(string message) : Neo4jException("Neo.ClientError.Security.Unauthorized", message);

/// <summary>
/// Neo4j's HTTP Query API: <c>POST /db/{db}/query/v2</c> for one statement in its own transaction, and
/// <c>/db/{db}/query/v2/tx</c> for explicit transactions (imports). Basic or bearer auth; plain JSON results.
/// Timeouts and retries come from the HttpClient's handlers (configured where it is registered).
/// </summary>
public sealed class QueryApiClient(HttpClient http, Neo4jOptions options)
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    /// <summary>Runs one statement in an implicit transaction.</summary>
    public async Task<QueryResult> RunAsync(string statement, object? parameters, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, "query/v2", statement, parameters, null, cancellationToken)).Result;

    /// <summary>Opens an explicit transaction; dispose without <see cref="Transaction.CommitAsync"/> to roll back.</summary>
    public async Task<Transaction> BeginAsync(CancellationToken cancellationToken)
    {
        var (_, id, affinity) = await SendAsync(HttpMethod.Post, "query/v2/tx", null, null, null, cancellationToken);
        return new Transaction(this, id ?? throw new Neo4jException("OrgGraph.Decoding", "the server opened a transaction without an id"), affinity);
    }

    private async Task<(QueryResult Result, string? TransactionId, string? Affinity)> SendAsync(HttpMethod method, string path, string? statement, object? parameters,
        string? affinity, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(options.Uri!, $"db/{Uri.EscapeDataString(options.Database)}/{path}"));
        request.Headers.Accept.Add(Json);
        request.Headers.Authorization = options.BearerToken is { Length: > 0 } token
            ? new AuthenticationHeaderValue("Bearer", token)
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
        if (affinity is not null)
        {
            request.Headers.Add("neo4j-cluster-affinity", affinity);
        }

        if (statement is not null || method == HttpMethod.Post)
        {
            var body = statement is null ? "{}" : JsonSerializer.Serialize(new { statement, parameters = parameters ?? new { } });
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var (result, transactionId) = Decode(response.StatusCode, text);
        var newAffinity = response.Headers.TryGetValues("neo4j-cluster-affinity", out var values) ? values.FirstOrDefault() : affinity;
        return (result, transactionId, newAffinity);
    }

    /// <summary>Reads a Query API response body: data, or the first error; 401 is an authentication error.</summary>
    public static (QueryResult Result, string? TransactionId) Decode(HttpStatusCode status, string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        }
        catch (JsonException)
        {
            throw new Neo4jException("OrgGraph.Decoding", $"HTTP {(int)status}: the response is not JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var error = errors[0];
                var code = error.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
                var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                throw status == HttpStatusCode.Unauthorized || code.EndsWith("Unauthorized", StringComparison.Ordinal)
                    ? new Neo4jAuthenticationException(message)
                    : new Neo4jException(code, message);
            }

            if (status == HttpStatusCode.Unauthorized)
            {
                throw new Neo4jAuthenticationException("the server refused the credentials");
            }

            if ((int)status >= 400)
            {
                throw new Neo4jException($"HTTP.{(int)status}", "the server answered with an error and no error body");
            }

            var transactionId = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("transaction", out var tx) && tx.TryGetProperty("id", out var id) ? id.GetString() : null;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data))
            {
                return (new QueryResult([], []), transactionId);
            }

            var fields = data.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToList();
            var rows = data.GetProperty("values").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.Clone()).ToArray()).ToList();
            return (new QueryResult(fields, rows), transactionId);
        }
    }

    /// <summary>An explicit transaction: statements run in it until it is committed; disposing an uncommitted one rolls it back.</summary>
    public sealed class Transaction(QueryApiClient client, string id, string? affinity) : IAsyncDisposable
    {
        private bool _done;

        public async Task<QueryResult> RunAsync(string statement, object? parameters, CancellationToken cancellationToken) =>
            (await client.SendAsync(HttpMethod.Post, $"query/v2/tx/{Uri.EscapeDataString(id)}", statement, parameters, affinity, cancellationToken)).Result;

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await client.SendAsync(HttpMethod.Post, $"query/v2/tx/{Uri.EscapeDataString(id)}/commit", null, null, affinity, cancellationToken);
            _done = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_done)
            {
                _done = true;
                try
                {
                    await client.SendAsync(HttpMethod.Delete, $"query/v2/tx/{Uri.EscapeDataString(id)}", null, null, affinity, CancellationToken.None);
                }
                catch (Exception e) when (e is HttpRequestException or Neo4jException or TaskCanceledException)
                {
                    // The server rolls back an abandoned transaction when it expires.
                }
            }
        }
    }
}
