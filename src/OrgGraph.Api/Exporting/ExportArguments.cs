using System.Globalization;
using OrgGraph.Exporting;

namespace OrgGraph.Api.Exporting;

/// <summary>The path queries an export can be limited to, by their GraphQL field names.</summary>
internal enum ExportQuery
{
    WhoControls,
    ControlledBy,
    PrivatisationPaths,
    Connections,
}

/// <summary>
/// The arguments of <c>export</c>: <c>--format F --out PATH</c>, and optionally a path query whose nodes and
/// relationships are exported instead of the whole graph. Options are <c>--name value</c> or <c>--name=value</c>.
/// </summary>
internal sealed record ExportArguments
{
    public const string Usage = """
        usage: OrgGraph.Api export --format neo4j-admin|cypher|graphml|gexf --out PATH
                                   [--query QUERY (--id|--from) ID [--to ID] [--asOf YYYY-MM-DD] [--maxHops N] [--first N]]

          --format    neo4j-admin: a directory of CSV files and import.sh for neo4j-admin database import full
                      cypher: a script of idempotent Cypher statements (cypher-shell -f)
                      graphml, gexf: one file for graph tools (Gephi, yEd, Cytoscape, NetworkX)
          --out       the directory (neo4j-admin) or file to write; an existing directory gets orggraph.<format>
          --query     export only the nodes and relationships of a path query instead of the whole graph:
                      whoControls --id ID, controlledBy --id ID, privatisationPaths --from ID, connections --from ID --to ID
          --asOf      every node and relationship of a path valid on this date
          --maxHops   longest path (default 8, at most the GraphQL:MaxHops limit)
          --first     most paths (defaults as in GraphQL: controlledBy 100, privatisationPaths 25, connections 10)
        IDs may be ids or aliases (ONS codes, former codes, Companies House numbers).
        """;

    private static readonly Dictionary<string, ExportQuery> Queries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["whoControls"] = ExportQuery.WhoControls,
        ["controlledBy"] = ExportQuery.ControlledBy,
        ["privatisationPaths"] = ExportQuery.PrivatisationPaths,
        ["connections"] = ExportQuery.Connections,
    };

    private static readonly string[] Options = ["format", "out", "query", "id", "from", "to", "asOf", "maxHops", "first"];

    public required ExportFormat Format { get; init; }
    public required string Out { get; init; }
    public ExportQuery? Query { get; init; }
    /// <summary>The organisation the query starts from (<c>--id</c> or <c>--from</c>).</summary>
    public string? Id { get; init; }
    public string? To { get; init; }
    public DateOnly? AsOf { get; init; }
    public int MaxHops { get; init; } = 8;
    public int First { get; init; }

    public static string QueryName(ExportQuery query) => Queries.First(p => p.Value == query).Key;

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one line.</summary>
    public static bool TryParse(IReadOnlyList<string> args, int maxHopsLimit, int maxPathsLimit, out ExportArguments? result, out string? error)
    {
        result = null;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                return Fail($"unexpected argument '{arg}'", out error);
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (!Options.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return Fail($"unknown option '--{name}'", out error);
            }

            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                return Fail($"--{name} needs a value", out error);
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                return Fail($"--{name} needs a value", out error);
            }

            if (!values.TryAdd(name, value.Trim()))
            {
                return Fail($"--{name} is given twice", out error);
            }
        }

        if (!values.TryGetValue("format", out var formatName))
        {
            return Fail("--format is required", out error);
        }

        if (!ExportFormats.TryParse(formatName, out var format))
        {
            return Fail($"unknown format '{formatName}' (expected {string.Join(", ", ExportFormats.Names)})", out error);
        }

        if (!values.TryGetValue("out", out var output))
        {
            return Fail("--out is required", out error);
        }

        var parsed = new ExportArguments { Format = format, Out = CommandLinePath.Resolve(output) };
        if (!values.TryGetValue("query", out var queryName))
        {
            var stray = Options.Skip(3).FirstOrDefault(values.ContainsKey);
            return stray is null ? Succeed(parsed, out result, out error) : Fail($"--{stray} needs --query", out error);
        }

        if (!Queries.TryGetValue(queryName, out var query))
        {
            return Fail($"unknown query '{queryName}' (expected {string.Join(", ", Queries.Keys)})", out error);
        }

        values.TryGetValue("id", out var id);
        values.TryGetValue("from", out var from);
        if (id is not null && from is not null)
        {
            return Fail("give --id or --from, not both", out error);
        }

        var start = id ?? from;
        if (start is null)
        {
            return Fail($"{queryName} needs {(query is ExportQuery.WhoControls or ExportQuery.ControlledBy ? "--id" : "--from")}", out error);
        }

        values.TryGetValue("to", out var to);
        if (query == ExportQuery.Connections && to is null)
        {
            return Fail("connections needs --to", out error);
        }

        if (query != ExportQuery.Connections && to is not null)
        {
            return Fail($"--to is only for connections", out error);
        }

        DateOnly? asOf = null;
        if (values.TryGetValue("asOf", out var date))
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return Fail($"--asOf '{date}' is not a date (YYYY-MM-DD)", out error);
            }

            asOf = d;
        }

        var maxHops = 8;
        if (values.TryGetValue("maxHops", out var hops) && !TryCount(hops, "maxHops", maxHopsLimit, out maxHops, out error))
        {
            return false;
        }

        var first = query switch
        {
            ExportQuery.ControlledBy => 100,
            ExportQuery.PrivatisationPaths => 25,
            ExportQuery.Connections => 10,
            _ => 0,
        };
        if (values.TryGetValue("first", out var firstText))
        {
            if (query == ExportQuery.WhoControls)
            {
                return Fail("--first is not used by whoControls (it returns every chain)", out error);
            }

            if (!TryCount(firstText, "first", maxPathsLimit, out first, out error))
            {
                return false;
            }
        }

        return Succeed(parsed with { Query = query, Id = start, To = to, AsOf = asOf, MaxHops = maxHops, First = first }, out result, out error);
    }

    private static bool TryCount(string text, string name, int limit, out int value, out string? error)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < 1)
        {
            return Fail($"--{name} '{text}' must be a whole number of at least 1", out error);
        }

        if (value > limit)
        {
            return Fail($"--{name} {value} is over the limit of {limit}", out error);
        }

        error = null;
        return true;
    }

    private static bool Succeed(ExportArguments parsed, out ExportArguments? result, out string? error)
    {
        result = parsed;
        error = null;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
