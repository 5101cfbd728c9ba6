using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrgGraph.Api.Seeding;
using OrgGraph.Api.Writes;
using OrgGraph.Api.Storage;
using OrgGraph.Storage.Neo4j;
using OrgGraph.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OrgGraph.Tests.Deployment;

/// <summary>
/// docker-compose.yml and the Dockerfile checked offline (no Docker engine here): Neo4j 5 Community with its
/// password from the environment, the Query API on and a health check that queries it, data on a named volume;
/// the API built from the Dockerfile, configured for Neo4j through the real options classes, seeding on first
/// start and waiting for Neo4j to be healthy; writes off unless an API key is given in the environment (no default key).
/// Compose's variable interpolation is applied as Compose does.
/// </summary>
public sealed class ComposeFileTests
{
    private const string Password = "compose-test-password";

    private static readonly YamlMappingNode Compose = LoadCompose();

    private static YamlMappingNode Service(string name) => Mapping(Mapping(Compose, "services"), name);

    [Fact]
    public void Neo4j_Is5xCommunity()
    {
        var image = Scalar(Service("neo4j"), "image");

        Assert.Matches(@"^neo4j:5(\.\d+){0,2}-community(-[a-z0-9]+)?$", image);
    }

    [Fact]
    public void Neo4j_AuthComesFromTheEnvironmentWithNoPasswordInTheFile()
    {
        var auth = EnvironmentOf(Service("neo4j"))["NEO4J_AUTH"];

        // neo4j/<one required variable>: no literal password, and no ${VAR:-default} fallback to one.
        var match = Regex.Match(auth, @"^neo4j/\$\{(?<variable>[A-Za-z_][A-Za-z0-9_]*)(:?\?[^}]*)?\}$");
        Assert.True(match.Success, $"NEO4J_AUTH must be neo4j/${{VARIABLE}} (the image's user is neo4j), not {auth}");
        Assert.Equal("NEO4J_PASSWORD", match.Groups["variable"].Value);

        Assert.Equal($"neo4j/{Password}", Interpolate(auth, Variables()));
        var missing = Assert.Throws<InvalidOperationException>(() => Interpolate(auth, new Dictionary<string, string>()));
        Assert.Contains("NEO4J_PASSWORD", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Neo4j_ServesTheQueryApiOverHttpOn7474()
    {
        var neo4j = Service("neo4j");
        var environment = EnvironmentOf(neo4j);

        Assert.Contains(7474, ContainerPorts(neo4j));
        Assert.Equal("true", environment.GetValueOrDefault("NEO4J_server_http_enabled", "true"));
        Assert.EndsWith(":7474", environment.GetValueOrDefault("NEO4J_server_http_listen__address", ":7474"), StringComparison.Ordinal);
        // The Query API is an HTTP module of its own: on by default only from Neo4j 5.25; 5.19-5.24 need it listed.
        Assert.True(environment.TryGetValue("NEO4J_server_http__enabled__modules", out var modules),
            "set NEO4J_server_http__enabled__modules (server.http_enabled_modules) so the Query API does not depend on the 5.x minor version");
        Assert.Contains("QUERY_API_ENDPOINTS", modules!.Split(',', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Neo4j_IsHealthyOnlyWhenTheQueryApiAnswers()
    {
        var healthcheck = Mapping(Service("neo4j"), "healthcheck");
        var test = healthcheck.Children[new YamlScalarNode("test")] switch
        {
            YamlSequenceNode sequence => sequence.Children.Select(c => ((YamlScalarNode)c).Value!).ToList(),
            YamlScalarNode scalar => ["CMD-SHELL", scalar.Value!],
            var other => throw new InvalidOperationException($"healthcheck.test is {other.NodeType}"),
        };

        Assert.Contains(test[0], new[] { "CMD", "CMD-SHELL" });
        var command = string.Join(' ', test.Skip(1));
        Assert.Contains("localhost:7474/db/", command, StringComparison.Ordinal);
        Assert.Contains("/query/v2", command, StringComparison.Ordinal);
        Assert.False(Scalar(healthcheck, "disable", "false") == "true");
    }

    [Fact]
    public void Neo4j_KeepsItsDataOnANamedVolume()
    {
        var declared = Mapping(Compose, "volumes").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var mounts = Sequence(Service("neo4j"), "volumes").Select(Mount).ToList();

        Assert.Contains(mounts, m => m.Target == "/data" && declared.Contains(m.Source));
    }

    [Fact]
    public void Api_IsBuiltFromTheDockerfile()
    {
        var (context, dockerfile) = Build(Service("api"));

        Assert.Equal(Repo.Root, Path.GetFullPath(Path.Combine(Repo.Root, context)).TrimEnd(Path.DirectorySeparatorChar));
        Assert.True(File.Exists(Path.Combine(Repo.Root, context, dockerfile)), $"{dockerfile} not found in {context}");
        Assert.Equal("Dockerfile", dockerfile);
    }

    [Fact]
    public void Api_UsesNeo4jThroughTheQueryApi_WithCredentialsFromTheEnvironment()
    {
        var configuration = ApiConfiguration(Variables());

        Assert.Equal("neo4j", configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()!.Provider);
        var neo4j = configuration.GetSection(Neo4jOptions.Section).Get<Neo4jOptions>()!;
        Assert.Equal(new Uri("http://neo4j:7474"), neo4j.Uri);
        Assert.Equal("neo4j", neo4j.Database);
        Assert.Equal("neo4j", neo4j.User);
        Assert.Equal(Password, neo4j.Password);
        Assert.Null(neo4j.BearerToken);

        var raw = EnvironmentOf(Service("api"))["Storage__Neo4j__Password"];
        Assert.Matches(@"^\$\{NEO4J_PASSWORD(:?\?[^}]*)?\}$", raw);
    }

    [Fact]
    public void Api_TalksToTheNeo4jServiceOnThePortItServes()
    {
        var uri = ApiConfiguration(Variables()).GetSection(Neo4jOptions.Section).Get<Neo4jOptions>()!.Uri!;

        Assert.True(Mapping(Compose, "services").Children.ContainsKey(new YamlScalarNode(uri.Host)), $"{uri.Host} is not a service");
        Assert.Equal(("http", 7474), (uri.Scheme, uri.Port));
        Assert.Contains(uri.Port, ContainerPorts(Service(uri.Host)));
    }

    [Fact]
    public void Api_AndNeo4j_AgreeOnTheDatabase()
    {
        foreach (var variables in new[] { Variables(), Variables(("NEO4J_DATABASE", "orggraph")) })
        {
            var neo4jDefault = Interpolate(EnvironmentOf(Service("neo4j")).GetValueOrDefault("NEO4J_initial_dbms_default__database", "neo4j"), variables);
            var apiDatabase = ApiConfiguration(variables).GetSection(Neo4jOptions.Section).Get<Neo4jOptions>()!.Database;

            Assert.Equal(variables.GetValueOrDefault("NEO4J_DATABASE", "neo4j"), apiDatabase);
            Assert.Equal(neo4jDefault, apiDatabase);
        }
    }

    [Fact]
    public void Api_SeedsOnFirstStart_AndWaitsForNeo4jToBeHealthy()
    {
        Assert.True(ApiConfiguration(Variables()).GetSection(SeedOptions.Section).Get<SeedOptions>()!.OnStartup);

        var neo4j = Mapping(Mapping(Service("api"), "depends_on"), "neo4j");
        Assert.Equal("service_healthy", Scalar(neo4j, "condition"));
    }

    [Fact]
    public void Api_WritesAreOffUnlessAnApiKeyIsGiven_ThereIsNoDefaultKey()
    {
        Assert.Empty(AuthOf(Variables()).ApiKeys);
        Assert.Empty(AuthOf(Variables(("ORGGRAPH_API_KEY", ""))).ApiKeys);
        Assert.Matches(@"^\$\{ORGGRAPH_API_KEY(:-)?\}$", EnvironmentOf(Service("api"))["Auth__ApiKeys__0__Key"]);
    }

    [Fact]
    public void Api_TakesItsApiKeyFromTheEnvironment()
    {
        const string Secret = "compose-test-key-0123456789abcdef";

        var key = Assert.Single(AuthOf(Variables(("ORGGRAPH_API_KEY", Secret))).ApiKeys);
        var named = Assert.Single(AuthOf(Variables(("ORGGRAPH_API_KEY", Secret), ("ORGGRAPH_API_KEY_ID", "newsroom"))).ApiKeys);

        Assert.Equal(("compose", Secret), (key.Id, key.Key));
        Assert.Equal(("newsroom", Secret), (named.Id, named.Key));
        Assert.Throws<OptionsValidationException>(() => AuthOf(Variables(("ORGGRAPH_API_KEY", "too-short"))));
    }

    /// <summary>The API keys the app would have with the api service's environment: through its own options registration and checks.</summary>
    private static AuthOptions AuthOf(IReadOnlyDictionary<string, string> variables)
    {
        var services = new ServiceCollection().AddSingleton(ApiConfiguration(variables));
        services.AddGraphWrites();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AuthOptions>>().Value;
    }

    /// <summary>Every Storage__/Seed__/Auth__ setting of the api service names a property of the options class of its section.</summary>
    [Fact]
    public void Api_SettingsNameRealOptions()
    {
        var sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            [StorageOptions.Section] = typeof(StorageOptions),
            [Neo4jOptions.Section] = typeof(Neo4jOptions),
            ["Storage:Sqlite"] = typeof(OrgGraph.Storage.Sqlite.SqliteOptions),
            [SeedOptions.Section] = typeof(SeedOptions),
            ["Auth:ApiKeys"] = typeof(ApiKeyOptions),
        };

        foreach (var key in EnvironmentOf(Service("api")).Keys.Where(k => k.Contains("__", StringComparison.Ordinal)))
        {
            var path = key.Replace("__", ":", StringComparison.Ordinal);
            var section = Regex.Replace(path[..path.LastIndexOf(':')], @":\d+$", "");
            var property = path[(path.LastIndexOf(':') + 1)..];
            Assert.True(sections.TryGetValue(section, out var type), $"{key}: no options class for section {section}");
            Assert.True(type!.GetProperty(property, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.CanWrite == true,
                $"{key}: {type.Name} has no settable property {property}");
        }
    }

    [Fact]
    public void Dockerfile_BuildsWithTheSdkAndRunsOnTheAspNetRuntimeAsANonRootUser()
    {
        var stages = DockerfileStages();
        Assert.True(stages.Count >= 2, "the Dockerfile should be multi-stage");

        var (buildImage, buildName, _) = stages[0];
        var (runtimeImage, _, runtime) = stages[^1];
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", buildImage, StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", runtimeImage, StringComparison.Ordinal);
        Assert.Equal(buildImage.Split(':')[1], runtimeImage.Split(':')[1]);
        Assert.NotNull(buildName);
        Assert.Contains(runtime, i => i.StartsWith($"COPY --from={buildName} ", StringComparison.OrdinalIgnoreCase));

        var user = runtime.LastOrDefault(i => i.StartsWith("USER ", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(user);
        Assert.DoesNotContain(user[5..].Trim().Split(':')[0], new[] { "root", "0" });

        var entrypoint = Assert.Single(runtime, i => i.StartsWith("ENTRYPOINT ", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("OrgGraph.Api.dll", entrypoint, StringComparison.Ordinal);
        var exposed = runtime.Where(i => i.StartsWith("EXPOSE ", StringComparison.OrdinalIgnoreCase))
            .SelectMany(i => i[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(p => int.Parse(p.Split('/')[0])).ToList();
        Assert.Contains(ContainerPorts(Service("api")).Single(), exposed);
    }

    private static Dictionary<string, string> Variables(params (string Name, string Value)[] more)
    {
        var variables = new Dictionary<string, string> { ["NEO4J_PASSWORD"] = Password };
        foreach (var (name, value) in more)
        {
            variables[name] = value;
        }

        return variables;
    }

    /// <summary>The api service's environment, interpolated, as the app's configuration sees it (<c>__</c> is <c>:</c>).</summary>
    private static IConfiguration ApiConfiguration(IReadOnlyDictionary<string, string> variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(EnvironmentOf(Service("api")).Select(e =>
                KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)Interpolate(e.Value, variables))))
            .Build();

    /// <summary>Compose's interpolation: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $VAR.</summary>
    private static string Interpolate(string value, IReadOnlyDictionary<string, string> variables) =>
        Regex.Replace(value, @"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<op>:?[-?])?(?<arg>[^}]*)\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)", m =>
        {
            if (m.Value == "$$")
            {
                return "$";
            }

            var name = m.Groups["bare"].Success ? m.Groups["bare"].Value : m.Groups["name"].Value;
            var set = variables.TryGetValue(name, out var current);
            var op = m.Groups["op"].Value;
            var usable = op.StartsWith(':') ? !string.IsNullOrEmpty(current) : set;
            return op.TrimStart(':') switch
            {
                "-" => usable ? current! : m.Groups["arg"].Value,
                "?" => usable ? current! : throw new InvalidOperationException($"required variable {name} is missing: {m.Groups["arg"].Value}"),
                _ => current ?? "",
            };
        });

    private static Dictionary<string, string> EnvironmentOf(YamlMappingNode service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (service.Children.TryGetValue(new YamlScalarNode("environment"), out var node) ? node : null)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    environment[((YamlScalarNode)key).Value!] = ((YamlScalarNode)value).Value ?? "";
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children.Select(c => ((YamlScalarNode)c).Value!))
                {
                    var equals = item.IndexOf('=');
                    environment[equals < 0 ? item : item[..equals]] = equals < 0 ? "" : item[(equals + 1)..];
                }

                break;
        }

        return environment;
    }

    /// <summary>Container ports from <c>ports</c> (short or long syntax) and <c>expose</c>.</summary>
    private static List<int> ContainerPorts(YamlMappingNode service)
    {
        var ports = new List<int>();
        foreach (var port in Sequence(service, "ports").Concat(Sequence(service, "expose")))
        {
            var text = port is YamlMappingNode longSyntax ? Scalar(longSyntax, "target") : ((YamlScalarNode)port).Value!;
            ports.Add(int.Parse(text.Split('/')[0].Split(':')[^1]));
        }

        return ports;
    }

    private static (string Source, string Target) Mount(YamlNode volume)
    {
        if (volume is YamlMappingNode longSyntax)
        {
            return (Scalar(longSyntax, "source"), Scalar(longSyntax, "target"));
        }

        var parts = ((YamlScalarNode)volume).Value!.Split(':');
        return parts.Length >= 2 ? (parts[0], parts[1]) : ("", parts[0]);
    }

    private static (string Context, string Dockerfile) Build(YamlMappingNode service) =>
        service.Children[new YamlScalarNode("build")] switch
        {
            YamlScalarNode context => (context.Value!, "Dockerfile"),
            YamlMappingNode build => (Scalar(build, "context", "."), Scalar(build, "dockerfile", "Dockerfile")),
            var other => throw new InvalidOperationException($"build is {other.NodeType}"),
        };

    /// <summary>The Dockerfile's stages: image, name (AS) and instructions, with continuation lines joined.</summary>
    private static List<(string Image, string? Name, List<string> Instructions)> DockerfileStages()
    {
        var (context, dockerfile) = Build(Service("api"));
        var text = File.ReadAllText(Path.Combine(Repo.Root, context, dockerfile));
        var instructions = Regex.Replace(text, @"\\\r?\n", " ")
            .Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => Regex.Replace(l, @"\s+", " "));

        var stages = new List<(string Image, string? Name, List<string> Instructions)>();
        foreach (var instruction in instructions)
        {
            var from = Regex.Match(instruction, @"^FROM (--platform=\S+ )?(?<image>\S+)( AS (?<name>\S+))?$", RegexOptions.IgnoreCase);
            if (from.Success)
            {
                stages.Add((from.Groups["image"].Value, from.Groups["name"].Success ? from.Groups["name"].Value : null, []));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add(instruction);
            }
        }

        return stages;
    }

    private static YamlMappingNode LoadCompose()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repo.Root, "docker-compose.yml")))
        {
            yaml.Load(reader);
        }

        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode mapping
            ? mapping
            : throw new InvalidOperationException($"docker-compose.yml: no mapping '{key}' at {node.Start}");

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence ? sequence.Children : [];

    private static string Scalar(YamlMappingNode node, string key, string? fallback = null) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar
            ? scalar.Value ?? ""
            : fallback ?? throw new InvalidOperationException($"docker-compose.yml: no value '{key}' at {node.Start}");
}
