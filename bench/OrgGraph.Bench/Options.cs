using System.Globalization;

namespace OrgGraph.Bench;

/// <summary>Command line: modes (seed, cte, generated, http, all) and options.</summary>
public sealed record Options
{
    public HashSet<string> Modes { get; init; } = [];
    public string SeedDatabase { get; init; } = "/tmp/bench-seed.db";
    public string GeneratedDatabase { get; init; } = "/tmp/bench-generated-1m.db";
    /// <summary>The seed with its spend files, for privatisation paths with payments (imported when missing).</summary>
    public string MoneyDatabase { get; init; } = "/tmp/bench-pathmoney.db";
    public string? SeedDirectory { get; init; }
    public int GeneratedNodes { get; init; } = 1_000_000;
    public int GeneratedRelationships { get; init; } = 4_000_000;
    /// <summary>Most time spent measuring one query (after its warm-up).</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(6);
    /// <summary>Time limit of one recursive CTE statement.</summary>
    public TimeSpan CteLimit { get; init; } = TimeSpan.FromSeconds(5);
    public int CteDepth { get; init; } = 4;
    public string? Output { get; init; }
    /// <summary>Rounds of the spend-import mode (each imports both seeds, cold and again).</summary>
    public int Rounds { get; init; } = 5;

    public const string Usage = """
        usage: dotnet run -c Release --project bench/OrgGraph.Bench -- <seed|cte|http|generated|money|spend-import|pathmoney|all>... [options]
          seed        in-process store traversals on the full seed (imported into --seed-db if missing)
          cte         the same questions as hand-written SQLite recursive CTEs, and the ratio to the index
          http        the same over GraphQL/HTTP to a Release API on 127.0.0.1 (one sequential client)
          generated   a generated graph (1M nodes, 4M relationships): index load time, memory, connections
          money       the full seed import with the spend files, and spend roll-ups by ultimate owner per ICB-year
          spend-import  what importing the spend files costs: the seed with and without them, cold and re-imported
          pathmoney   privatisation paths with payments ranked by money, and the index load with PAID months (--money-db)
          all         seed, cte, http, generated
        options:
          --seed-db PATH        (default /tmp/bench-seed.db)
          --seed-dir PATH       (default: seed/ found above the working directory)
          --generated-db PATH   (default /tmp/bench-generated-1m.db; generated once and reused)
          --money-db PATH       (default /tmp/bench-pathmoney.db; the seed imported once and reused)
          --nodes N --relationships M   size of the generated graph (default 1000000, 4000000)
          --budget SECONDS      measuring time per query (default 6)
          --cte-limit SECONDS   time limit of one CTE statement (default 5)
          --cte-depth N         depth cap of the connections CTE (default 4)
          --rounds N            rounds of spend-import (default 5; medians leave out round 1)
          --out PATH            also write the markdown results there
        """;

    public static Options? Parse(string[] args)
    {
        var options = new Options();
        var modes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "seed" or "cte" or "http" or "generated" or "money" or "spend-import" or "pathmoney":
                    modes.Add(args[i].ToLowerInvariant());
                    break;
                case "all":
                    modes.UnionWith(["seed", "cte", "http", "generated"]);
                    break;
                case "--seed-db":
                    options = options with { SeedDatabase = Next() };
                    break;
                case "--money-db":
                    options = options with { MoneyDatabase = Next() };
                    break;
                case "--seed-dir":
                    options = options with { SeedDirectory = Next() };
                    break;
                case "--generated-db":
                    options = options with { GeneratedDatabase = Next() };
                    break;
                case "--nodes":
                    options = options with { GeneratedNodes = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--relationships":
                    options = options with { GeneratedRelationships = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--budget":
                    options = options with { Budget = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) };
                    break;
                case "--cte-limit":
                    options = options with { CteLimit = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) };
                    break;
                case "--cte-depth":
                    options = options with { CteDepth = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--rounds":
                    options = options with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--out":
                    options = options with { Output = Next() };
                    break;
                default:
                    return null;
            }
        }

        return modes.Count == 0 ? null : options with { Modes = modes };
    }
}
