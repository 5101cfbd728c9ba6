using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrgGraph.Api.Writes;

internal static class WritesRegistration
{
    /// <summary>
    /// Registers what the mutations need: the API keys (section <c>Auth</c>, checked on start; entries with an empty key are ignored), the authenticator,
    /// the writer, the clock (<see cref="TimeProvider.System"/> unless a test has put another one first) and access
    /// to the request's headers.
    /// </summary>
    public static IServiceCollection AddGraphWrites(this IServiceCollection services)
    {
        // An entry without a key is no key (docker-compose.yml passes ORGGRAPH_API_KEY, which may be unset): writes stay off for it.
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .PostConfigure(o => o.ApiKeys.RemoveAll(k => string.IsNullOrEmpty(k.Key)))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<GraphWriter>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        return services;
    }
}
