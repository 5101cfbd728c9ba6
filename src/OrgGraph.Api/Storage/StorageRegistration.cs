using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using OrgGraph.Storage;
using OrgGraph.Storage.Neo4j;
using OrgGraph.Storage.Sqlite;

namespace OrgGraph.Api.Storage;

/// <summary>Which store backs the API (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (the embedded default) or <c>neo4j</c> (the HTTP Query API; settings under Storage:Neo4j).</summary>
    [RegularExpression("^(?i)(sqlite|neo4j)$", ErrorMessage = "Storage:Provider must be 'sqlite' or 'neo4j'.")]
    public string Provider { get; set; } = "sqlite";
}

internal static class StorageRegistration
{
    /// <summary>Registers the configured <see cref="IGraphStore"/>; secrets are bound from configuration or env and never logged.</summary>
    public static IServiceCollection AddGraphStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var provider = configuration[$"{StorageOptions.Section}:Provider"] ?? "sqlite";
        if (!provider.Equals("neo4j", StringComparison.OrdinalIgnoreCase))
        {
            services.AddOptions<SqliteOptions>().BindConfiguration(SqliteOptions.Section).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton<IGraphStore>(sp => new SqliteGraphStore(sp.GetRequiredService<IOptions<SqliteOptions>>().Value));
            return services;
        }

        services.AddOptions<Neo4jOptions>().BindConfiguration(Neo4jOptions.Section)
            .Validate(o => o.Uri is { IsAbsoluteUri: true }, "Storage:Neo4j:Uri must be an absolute http(s) URI.")
            .Validate(o => o.BearerToken is { Length: > 0 } || (o.User is { Length: > 0 } && o.Password is { Length: > 0 }), "Storage:Neo4j needs User and Password, or BearerToken.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Neo4jOptions>>().Value);
        services.AddHttpClient<QueryApiClient>((sp, http) => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(resilience =>
            {
                // MERGE statements are idempotent, so a retried request cannot double-write.
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(120);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            });
        services.AddSingleton<IGraphStore>(sp => new Neo4jGraphStore(sp.GetRequiredService<QueryApiClient>(), sp.GetRequiredService<Neo4jOptions>()));
        return services;
    }
}
