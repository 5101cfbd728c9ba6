using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OrgGraph.Storage.Neo4j;
using OrgGraph.Tests.Support;

namespace OrgGraph.Tests.Neo4j;

/// <summary>
/// Every Cypher statement the Neo4j backend can send, linted offline by Neo4j's own Cypher front-end (parser and
/// semantic analysis, Cypher 5, the language of Neo4j 5.x) through tools/cypher-lint: a statement that would not
/// compile on the server, or that the server would answer with a warning (deprecation, cartesian product, ...),
/// fails here without a server. All statements go to one node process (see <see cref="CypherLintFixture"/>).
/// </summary>
public sealed class CypherLintTests(CypherLintFixture lint) : IClassFixture<CypherLintFixture>
{
    [Fact]
    public void EveryStatement_PassesNeo4jCypherLint()
    {
        var run = lint.Run();
        var failures = CypherStatementSources.All()
            .Select(s => (s.Name, s.Statement, Diagnostics: run.DiagnosticsOf(s.Name)))
            .Where(s => s.Diagnostics.Count > 0)
            .ToList();

        Assert.True(failures.Count == 0,
            $"{failures.Count} Cypher statement(s) fail Neo4j's Cypher lint ({run.Linter}):\n\n" +
            string.Join("\n", failures.Select(f => CypherLintFixture.Describe(f.Name, f.Statement, f.Diagnostics))));
    }

    [Fact]
    public void StatementSources_GiveStatementsWithUniqueNames()
    {
        var statements = CypherStatementSources.All().ToList();

        Assert.Contains(statements, s => s.Name == "Cypher." + nameof(Cypher.CreateSearchIndex));
        var duplicates = statements.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "statement names must be unique: " + string.Join(", ", duplicates));
    }

    /// <summary>The linter's silence means something only if it finds what it should (see tools/cypher-lint/lint.mjs).</summary>
    [Fact]
    public void Linter_FlagsKnownErrors()
    {
        var run = lint.Run();
        foreach (var (name, statement, expected) in CypherLintFixture.KnownBad)
        {
            var diagnostics = run.DiagnosticsOf(name);
            Assert.True(diagnostics.Any(d => d.Message.Contains(expected, StringComparison.Ordinal)),
                $"the linter should flag {name} with a message containing \"{expected}\": {statement}\n" +
                (diagnostics.Count == 0 ? "it found nothing" : CypherLintFixture.Describe(name, statement, diagnostics)));
        }
    }

    /// <summary>The Neo4j 5 constructs the backend relies on pass (no false positives that would block them).</summary>
    [Fact]
    public void Linter_AcceptsTheNeo4j5ConstructsTheBackendUses()
    {
        var run = lint.Run();
        var flagged = CypherLintFixture.KnownGood
            .Select(g => (g.Name, g.Statement, Diagnostics: run.DiagnosticsOf(g.Name)))
            .Where(g => g.Diagnostics.Count > 0)
            .ToList();

        Assert.True(flagged.Count == 0,
            "the linter flags valid Neo4j 5 Cypher:\n" + string.Join("\n", flagged.Select(f => CypherLintFixture.Describe(f.Name, f.Statement, f.Diagnostics))));
    }
}

/// <summary>
/// Where the statements to lint come from, each named "Source.Name". Add a source here whenever another component
/// sends Cypher to Neo4j or writes it for Neo4j to run.
/// </summary>
public static class CypherStatementSources
{
    public static IEnumerable<(string Name, string Statement)> All()
    {
        foreach (var (name, statement) in Cypher.All())
        {
            yield return ("Cypher." + name, statement);
        }

        // The Cypher export script (README, Exports), written for a small graph with awkward text.
        foreach (var statement in OrgGraph.Tests.Exporting.CypherExportSamples.Statements())
        {
            yield return statement;
        }
    }
}

/// <summary>
/// Runs tools/cypher-lint/lint.mjs once for the class: the statements of <see cref="CypherStatementSources"/>
/// plus the known-bad and known-good canaries, in one node process (each start costs seconds). A missing Node.js
/// or npm package is a failure with install instructions, never a silent pass.
/// </summary>
public sealed class CypherLintFixture
{
    private const string Install =
        "The Cypher lint needs Node.js 20+ with npm on PATH and the lint tool's npm packages: from the repository root run " +
        "`npm ci --prefix tools/cypher-lint` (.ci/run does this).";

    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Must be flagged, with a message containing the given text.</summary>
    public static readonly IReadOnlyList<(string Name, string Statement, string Expected)> KnownBad =
    [
        ("bad.SyntaxError", "MATCH (n RETURN n", "Invalid input 'RETURN'"),
        ("bad.UndefinedVariable", "MATCH (n) RETURN m", "Variable `m` not defined"),
        ("bad.UnknownFunction", "RETURN notAFunction(1) AS x", "Function notAFunction is not present"),
        ("bad.ApocIsNotBuiltIn", "RETURN apoc.text.join(['a'], ',') AS x", "Function apoc.text.join is not present"),
        ("bad.UnknownProcedure", "CALL db.index.fulltext.queryNodez('organisation_search', $query) YIELD node RETURN node", "Procedure db.index.fulltext.queryNodez is not present"),
        ("bad.TypeError", "RETURN 1 + true AS x", "Type mismatch"),
        ("bad.RemovedInNeo4j5", "MATCH (n) WHERE exists(n.id) RETURN n", "no longer supported"),
        ("bad.Cypher25Only", "MATCH (n) LET x = n.id RETURN x", "Invalid input 'LET'"),
        ("bad.VersionPrefix", "CYPHER 25 MATCH (n) RETURN n", "Cypher version prefix"),
        ("bad.Deprecated", "MATCH (n) WHERE id(n) = $id RETURN n", "deprecated"),
        ("bad.TwoStatements", "RETURN 1 AS x; RETURN 2 AS y", "2 statements where one is expected"),
        ("bad.Empty", "  // nothing\n", "empty statement"),
    ];

    /// <summary>Valid on Neo4j 5.26 Community: must pass.</summary>
    public static readonly IReadOnlyList<(string Name, string Statement)> KnownGood =
    [
        ("good.UniqueConstraint", "CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (o:Organisation) REQUIRE o.id IS UNIQUE"),
        ("good.CompositeUniqueConstraint", "CREATE CONSTRAINT fact_key IF NOT EXISTS FOR (f:Fact) REQUIRE (f.nodeId, f.fact) IS UNIQUE"),
        ("good.RangeIndex", "CREATE INDEX fact_value IF NOT EXISTS FOR (f:Fact) ON (f.value)"),
        ("good.FulltextIndex", "CREATE FULLTEXT INDEX organisation_search IF NOT EXISTS FOR (n:Organisation|Fact) ON EACH [n.id, n.name, n.value] OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-no-stop-words' } }"),
        ("good.ShowIndexes", "SHOW INDEXES YIELD name, state WHERE state <> 'ONLINE' RETURN name"),
        ("good.AwaitIndexes", "CALL db.awaitIndexes(300)"),
        ("good.UnwindMerge", "UNWIND $rows AS row MERGE (o:Organisation {id: row.id}) ON CREATE SET o += row.props ON MATCH SET o.name = row.name"),
        ("good.ParameterList", "MATCH (o:Organisation) WHERE o.id IN $ids RETURN o { .* } AS o ORDER BY o.id SKIP $skip LIMIT $first"),
        ("good.FulltextQuery", "CALL db.index.fulltext.queryNodes('organisation_search', $query, {limit: $first}) YIELD node, score RETURN node.id AS id, score"),
        ("good.Shortest", "MATCH p = SHORTEST 1 (a:Organisation {id: $from})-[:PART_OF|OWNED_BY]-{1,10}(b:Organisation {id: $to}) RETURN p"),
        ("good.AllShortest", "MATCH p = ALL SHORTEST (a:Organisation {id: $from})--+(b:Organisation {id: $to}) RETURN p"),
        ("good.ShortestGroups", "MATCH p = SHORTEST 2 GROUPS (a:Organisation {id: $from})--{1,10}(b:Organisation {id: $to}) RETURN p"),
        ("good.AllShortestPaths", "MATCH p = allShortestPaths((a:Organisation {id: $from})-[*..10]-(b:Organisation {id: $to})) RETURN p"),
        ("good.ShortestPath", "MATCH (a:Organisation {id: $from}) MATCH (b:Organisation {id: $to}) MATCH p = shortestPath((a)-[rels*..10]-(b)) WHERE all(r IN rels WHERE r.validFrom <= $asOf) RETURN p"),
        ("good.QuantifiedPathPattern", "MATCH (a:Organisation {id: $id})((x)-[r:PART_OF WHERE r.validFrom <= $asOf]->(y)){1,10}(top) RETURN top, size(r) AS hops"),
        ("good.QuantifiedRelationship", "MATCH p = (x:Organisation {id: $id})<-[:SUCCEEDED_BY]-{1,50}(other:Organisation) RETURN p"),
        ("good.DynamicLabelMerge", "UNWIND $rows AS row MERGE (o:$(row.label) {id: row.id}) RETURN count(o) AS n"),
        ("good.DynamicLabelSet", "MATCH (o:Organisation {id: $id}) SET o:$($labels)"),
        ("good.DynamicTypeCreate", "UNWIND $rows AS row MATCH (a:Organisation {id: row.from}) MATCH (b:Organisation {id: row.to}) CREATE (a)-[r:$(row.type)]->(b) SET r = row.props"),
        ("good.ScopedSubqueries", "CALL () { MATCH (s:Source) RETURN count(s) AS sources } CALL () { MATCH (o:Organisation) RETURN count(o) AS nodes } RETURN sources, nodes"),
        ("good.SubqueryExpressions", "MATCH (o:Organisation) WHERE EXISTS { (o)-[:OWNED_BY]->(:Organisation) } RETURN o.id, COUNT { (o)<-[:PART_OF]-() } AS children, COLLECT { MATCH (o)-[:HAS_FACT]->(f) RETURN f.value } AS facts"),
        ("good.InTransactions", "UNWIND $rows AS row CALL (row) { MERGE (o:Organisation {id: row.id}) SET o += row.props } IN TRANSACTIONS OF 1000 ROWS"),
    ];

    private readonly Lazy<LintRun> _run = new(LintAll);

    /// <summary>The one lint run (started on first use); fails the calling test when the linter cannot run.</summary>
    public LintRun Run()
    {
        var run = _run.Value;
        Assert.True(run.Error is null, run.Error);
        return run;
    }

    private static LintRun LintAll()
    {
        var items = CypherStatementSources.All()
            .Concat(KnownBad.Select(b => (b.Name, b.Statement)))
            .Concat(KnownGood)
            .Select(s => new LintItem(s.Name, s.Statement))
            .ToList();

        var tool = Path.Combine(Repo.Root, "tools", "cypher-lint");
        var script = Path.Combine(tool, "lint.mjs");
        if (!File.Exists(script))
        {
            return LintRun.Failed($"{script} is missing.");
        }

        if (!Directory.Exists(Path.Combine(tool, "node_modules", "@neo4j-cypher", "language-support")))
        {
            return LintRun.Failed($"The npm package @neo4j-cypher/language-support is not installed in {tool}. {Install}");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = tool,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("-");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception e)
        {
            return LintRun.Failed($"Node.js could not be started ({e.Message}). {Install}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                process.StandardInput.Write(JsonSerializer.Serialize(items, Json));
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // node exited before reading its input; its exit code and stderr say why.
            }
            if (!process.WaitForExit(LintTimeout))
            {
                process.Kill(entireProcessTree: true);
                return LintRun.Failed($"node lint.mjs did not finish within {LintTimeout}.");
            }

            process.WaitForExit();
            var (output, errors) = (stdout.Result, stderr.Result);
            if (process.ExitCode is not (0 or 1))
            {
                return LintRun.Failed($"node lint.mjs failed (exit code {process.ExitCode}): {errors.Trim()}\n{Install}");
            }

            LintReport report;
            try
            {
                report = JsonSerializer.Deserialize<LintReport>(output, Json) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                return LintRun.Failed($"node lint.mjs printed no report ({e.Message}): {output}\n{errors}");
            }

            var results = report.Results.ToDictionary(r => r.Name, r => (IReadOnlyList<LintDiagnostic>)r.Diagnostics);
            if (results.Count != items.Count)
            {
                return LintRun.Failed($"node lint.mjs reported {results.Count} results for {items.Count} statements.");
            }

            var linter = $"{report.Linter.Package} {report.Linter.Version}, {report.Linter.CypherVersion}, Node.js {report.Linter.Node}";
            return new LintRun(null, linter, results);
        }
    }

    /// <summary>A statement's diagnostics, each with its position and the statement's line underlined.</summary>
    public static string Describe(string name, string statement, IReadOnlyList<LintDiagnostic> diagnostics)
    {
        var text = new StringBuilder();
        foreach (var d in diagnostics)
        {
            var (line, column) = (d.Range.Start.Line, d.Range.Start.Character);
            text.Append($"{name}: {d.Severity} at line {line + 1}, column {column + 1} (offsets {d.Offsets.Start}-{d.Offsets.End}): {d.Message}\n");
            text.Append($"  offending text: \"{d.Text}\"\n");
            var lines = statement.Split('\n');
            if (line < lines.Length)
            {
                var source = lines[line].TrimEnd('\r');
                var width = d.Range.End.Line == line ? Math.Max(1, d.Range.End.Character - column) : Math.Max(1, source.Length - column);
                text.Append($"  {line + 1,4} | {source}\n");
                text.Append($"       | {new string(' ', Math.Min(column, source.Length))}{new string('^', width)}\n");
            }
        }

        return text.ToString();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

public sealed record LintRun(string? Error, string Linter, IReadOnlyDictionary<string, IReadOnlyList<LintDiagnostic>> Results)
{
    public static LintRun Failed(string error) => new(error, "", new Dictionary<string, IReadOnlyList<LintDiagnostic>>());

    public IReadOnlyList<LintDiagnostic> DiagnosticsOf(string name) =>
        Results.TryGetValue(name, out var diagnostics) ? diagnostics : throw new KeyNotFoundException($"no lint result for {name}");
}

public sealed record LintItem(string Name, string Statement);

public sealed record LintReport(LintLinter Linter, int Statements, int Diagnostics, IReadOnlyList<LintResult> Results);

public sealed record LintLinter(string Package, string Version, string CypherVersion, string Node);

public sealed record LintResult(string Name, List<LintDiagnostic> Diagnostics);

public sealed record LintDiagnostic(
    string Severity,
    string Message,
    LintOffsets Offsets,
    LintRange Range,
    string Text,
    string Source);

public sealed record LintOffsets(int Start, int End);

public sealed record LintRange(LintPosition Start, LintPosition End);

public sealed record LintPosition(int Line, int Character);
