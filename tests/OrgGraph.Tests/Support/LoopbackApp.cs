using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace OrgGraph.Tests.Support;

/// <summary>
/// The real API on Kestrel at 127.0.0.1 on a free port, for clients outside the test process such as a browser
/// (WebApplicationFactory's in-memory TestServer cannot be reached from one). It serves a copy of the seeded template
/// database, with the production rate limit on (over a real socket each client has its own address).
/// </summary>
public sealed class LoopbackApp : IAsyncDisposable
{
    private readonly OrgGraphApp _app;

    private LoopbackApp(params (string Key, string? Value)[] settings) => _app = new OrgGraphApp(settings);

    /// <summary>Where the API listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the API and waits until it is ready (its store is seeded).</summary>
    public static async Task<LoopbackApp> StartAsync(params (string Key, string? Value)[] settings)
    {
        var loopback = new LoopbackApp([("RateLimit:Enabled", "true"), .. settings]);
        try
        {
            File.Copy(await SeededApp.TemplateAsync(), loopback._app.DatabasePath);
            loopback._app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            loopback._app.StartServer();
            var addresses = loopback._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            loopback.BaseAddress = new Uri(addresses.Single().TrimEnd('/') + "/");
            await loopback.WaitReadyAsync(TimeSpan.FromMinutes(2));
            return loopback;
        }
        catch
        {
            await loopback.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the API over the loopback socket.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    private async Task WaitReadyAsync(TimeSpan wait)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the API at {BaseAddress} did not become ready");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
