using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OrgGraph.Bench;

/// <summary>
/// GraphQL over HTTP with one client sending requests one after another: builds the API in Release (into its own
/// artifacts directory, so it never races another build of src/), starts it on 127.0.0.1 on a free port with the
/// seeded database and its shipped settings, waits for /readyz, measures, and stops the process it started.
/// </summary>
public static class HttpBench
{
    private const string Fields = "length nodes { id name } steps { type controlKind validFrom validTo sources { url } }";

    public static async Task RunAsync(SeedInputs inputs, Options options)
    {
        var root = Path.GetDirectoryName(options.SeedDirectory is { } dir ? Path.GetFullPath(dir) : SeedInputs.FindSeedDirectory())!;
        var artifacts = Path.Combine(Path.GetTempPath(), "orggraph-bench-artifacts");
        var project = Path.Combine(root, "src", "OrgGraph.Api", "OrgGraph.Api.csproj");
        Console.WriteLine($"Building {project} (Release) into {artifacts}...");
        var build = await RunToEndAsync("dotnet", ["build", project, "-c", "Release", "--artifacts-path", artifacts, "-p:GraphiQLSkipNpm=true", "-nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(5));
        if (build.ExitCode != 0)
        {
            Report.Line($"HTTP benchmark skipped: the API did not build (exit {build.ExitCode}): {build.Output[^Math.Min(build.Output.Length, 2000)..]}");
            return;
        }

        var output = Path.Combine(artifacts, "bin", "OrgGraph.Api", "release");
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", ["OrgGraph.Api.dll", "--urls", baseAddress.ToString().TrimEnd('/')])
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Storage__Sqlite__Path"] = Path.GetFullPath(options.SeedDatabase);
        start.Environment["Seed__OnStartup"] = "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // One client sending as fast as it can is what the per-client rate limit of /graphql exists to refuse.
        start.Environment["RateLimit__Enabled"] = "false";
        var log = new Queue<string>();
        using var server = new Process { StartInfo = start };
        void Keep(object? sender, DataReceivedEventArgs e)
        {
            lock (log)
            {
                if (e.Data is { } line)
                {
                    log.Enqueue(line);
                    if (log.Count > 50)
                    {
                        log.Dequeue();
                    }
                }
            }
        }

        server.OutputDataReceived += Keep;
        server.ErrorDataReceived += Keep;
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = baseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
            if (!await WaitReadyAsync(client, server, TimeSpan.FromSeconds(90)))
            {
                lock (log)
                {
                    Report.Line("HTTP benchmark skipped: the API did not become ready. Last log lines: " + string.Join(" / ", log));
                }

                return;
            }

            Report.Line($"API: Release build of src/OrgGraph.Api started as `dotnet OrgGraph.Api.dll --urls {baseAddress}` in its output folder (shipped appsettings.json, " +
                "Information-level request logging to a pipe the harness drains), ASPNETCORE_ENVIRONMENT=Production, Seed__OnStartup=false, RateLimit__Enabled=false, the seeded database; " +
                "one HttpClient, requests sent one after another, each body read and parsed (System.Text.Json) inside the timed window; 8 s of mixed warm-up requests first, then one warm-up pass per query.");
            // Warm-up of the whole process (JIT tiers, pools, the index, the document cache) before any measurement.
            var warm = Stopwatch.StartNew();
            for (var i = 0; warm.Elapsed < TimeSpan.FromSeconds(8); i++)
            {
                var asOf = i % 2 == 0 ? $", asOf: \"{SeedInputs.AsOfText}\"" : "";
                var pair = inputs.Pairs[i % inputs.Pairs.Count];
                await PostAsync(client, $"{{ privatisationPaths(from: \"{inputs.Systems[i % inputs.Systems.Count]}\"{asOf}) {{ {Fields} }} }}", "privatisationPaths");
                await PostAsync(client, $"{{ whoControls(id: \"{inputs.Controlled[i % inputs.Controlled.Count]}\"{asOf}) {{ {Fields} }} }}", "whoControls");
                await PostAsync(client, $"{{ connections(from: \"{pair.From}\", to: \"{pair.To}\", maxHops: 8, first: 10) {{ {Fields} }} }}", "connections");
            }

            var results = new List<LatencyStats>();
            var budget = options.Budget;
            foreach (var dated in new[] { true, false })
            {
                var asOf = dated ? $", asOf: \"{SeedInputs.AsOfText}\"" : "";
                var suffix = dated ? ", asOf" : "";
                results.Add(await Measure.RunAsync($"privatisationPaths(ICS{suffix}) over HTTP", inputs.Systems,
                    id => PostAsync(client, $"{{ privatisationPaths(from: \"{id}\"{asOf}) {{ {Fields} }} }}", "privatisationPaths"), budget: budget,
                    describe: Describe(inputs.Systems.Count)));
                results.Add(await Measure.RunAsync($"whoControls(practice/trust{suffix}) over HTTP", inputs.Controlled,
                    id => PostAsync(client, $"{{ whoControls(id: \"{id}\"{asOf}) {{ {Fields} }} }}", "whoControls"), budget: budget,
                    describe: Describe(inputs.Controlled.Count)));
            }

            foreach (var dated in new[] { true, false })
            {
                var asOf = dated ? $", asOf: \"{SeedInputs.AsOfText}\"" : "";
                var pairs = dated ? inputs.PairsOnDate : inputs.Pairs;
                results.Add(await Measure.RunAsync($"connections(random pair, maxHops 8, first 10{(dated ? ", asOf" : "")}) over HTTP", pairs,
                    p => PostAsync(client, $"{{ connections(from: \"{p.From}\", to: \"{p.To}\"{asOf}, maxHops: 8, first: 10) {{ {Fields} }} }}", "connections"),
                    budget: budget, describe: Describe(pairs.Count)));
            }

            Report.Table(results, new Dictionary<string, double>
            {
                ["privatisationPaths(ICS, asOf) over HTTP"] = 10,
                ["privatisationPaths(ICS) over HTTP"] = 10,
                ["whoControls(practice/trust, asOf) over HTTP"] = 10,
                ["whoControls(practice/trust) over HTTP"] = 10,
            });
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
    }

    /// <summary>POSTs a query; the number of items in data.field, or -1 for an answer with errors (LIMIT_EXCEEDED).</summary>
    private static async Task<int> PostAsync(HttpClient client, string query, string field)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/graphql", content);
        var body = await response.Content.ReadAsByteArrayAsync();
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.TryGetProperty("errors", out var errors))
        {
            var code = errors[0].TryGetProperty("extensions", out var e) && e.TryGetProperty("code", out var c) ? c.GetString() : null;
            return code == "LIMIT_EXCEEDED" ? -1 : throw new InvalidOperationException($"{query}: {Encoding.UTF8.GetString(body)}");
        }

        return json.RootElement.GetProperty("data").GetProperty(field).GetArrayLength();
    }

    private static Func<List<int>, string> Describe(int inputs) => SeedBench.DescribeGuarded(inputs);

    private static async Task<bool> WaitReadyAsync(HttpClient client, Process server, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit && !server.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string file, string[] args, TimeSpan limit)
    {
        using var process = new Process { StartInfo = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false } };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
