using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace OrgGraph.Api.Http;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> is believed (section <c>ForwardedHeaders</c>). Off by default: with
/// neither list set the header is ignored, since any client could send one. With a proxy listed, a request that comes
/// from it has the address the proxy appended as its remote address (so the rate limiter gives each client behind the
/// proxy its own bucket); the header of a request from any other address is ignored.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the proxies, e.g. <c>10.0.0.5</c>. Default: none.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR notation, e.g. <c>10.0.0.0/8</c>. Default: none.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count + KnownNetworks.Count > 0;
}

internal static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.Section)
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "ForwardedHeaders:KnownProxies must hold IP addresses, e.g. 10.0.0.5.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "ForwardedHeaders:KnownNetworks must hold networks in CIDR notation, e.g. 10.0.0.0/8.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Reads <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the configured proxies only; does nothing when none is configured.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        // Replace ASP.NET Core's default (loopback): only what is configured is trusted.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in options.KnownProxies)
        {
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in options.KnownNetworks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        app.UseForwardedHeaders(forwarded);
        return app;
    }
}
