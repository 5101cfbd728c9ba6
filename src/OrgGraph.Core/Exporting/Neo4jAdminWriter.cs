using System.Globalization;
using OrgGraph.Model;
using static OrgGraph.Exporting.ExportValues;

namespace OrgGraph.Exporting;

/// <summary>
/// A directory for <c>neo4j-admin database import full</c> (Neo4j 5), in the Neo4j backend's model (see
/// <see cref="CypherWriter"/>): <c>nodes.csv</c> (organisations, labelled <c>Organisation;&lt;Kind&gt;</c>),
/// <c>facts.csv</c> and <c>has_fact.csv</c> (names, roles and aliases), <c>sources.csv</c>, <c>relationships.csv</c>,
/// an <c>import.sh</c> with the command, and <c>constraints.cypher</c>. RFC 4180 quoting, UTF-8, <c>;</c> between the
/// items of an array. Organisations use the global id space; sources and facts their own (<c>Source</c>, <c>Fact</c>).
/// </summary>
internal sealed class Neo4jAdminWriter : IGraphWriter
{
    public const string NodesFile = "nodes.csv";
    public const string FactsFile = "facts.csv";
    public const string HasFactFile = "has_fact.csv";
    public const string SourcesFile = "sources.csv";
    public const string RelationshipsFile = "relationships.csv";
    public const string ImportScript = "import.sh";
    public const string ConstraintsFile = "constraints.cypher";

    private readonly CsvOut _nodes;
    private readonly CsvOut _facts;
    private readonly CsvOut _hasFact;
    private readonly CsvOut _sources;
    private readonly CsvOut _relationships;
    private readonly OutputFile _script;
    private readonly OutputFile _constraints;
    private string _description = "";
    private long _factId;

    public Neo4jAdminWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        _nodes = new CsvOut(new OutputFile(Path.Combine(directory, NodesFile)));
        _facts = new CsvOut(new OutputFile(Path.Combine(directory, FactsFile)));
        _hasFact = new CsvOut(new OutputFile(Path.Combine(directory, HasFactFile)));
        _sources = new CsvOut(new OutputFile(Path.Combine(directory, SourcesFile)));
        _relationships = new CsvOut(new OutputFile(Path.Combine(directory, RelationshipsFile)));
        _script = new OutputFile(Path.Combine(directory, ImportScript));
        _constraints = new OutputFile(Path.Combine(directory, ConstraintsFile));
    }

    public IReadOnlyList<string> Files { get; private set; } = [];

    private IEnumerable<CsvOut> Csvs => [_nodes, _facts, _hasFact, _sources, _relationships];

    public void Begin(ExportSelection selection)
    {
        _description = selection.Description;
        _nodes.Row("id:ID", ":LABEL", "name", "kind", "sector", "validFrom", "validTo", "confidence", "sources:string[]", "properties");
        _facts.Row(":ID(Fact)", ":LABEL", "nodeId", "fact", "value", "scheme", "validFrom", "validTo", "sources:string[]");
        _hasFact.Row(":START_ID", ":END_ID(Fact)", ":TYPE");
        _sources.Row("id:ID(Source)", ":LABEL", "title", "publisher", "url", "published", "retrieved", "licence");
        _relationships.Row(":START_ID", ":END_ID", ":TYPE", "validFrom", "validTo", "confidence", "sources:string[]", "properties", "share:double");
    }

    public void WriteNodes(IReadOnlyList<Node> nodes, IReadOnlyDictionary<string, Source> sources)
    {
        foreach (var n in nodes)
        {
            _nodes.Row(n.Id, $"{OrganisationLabel};{KindLabel(n.Kind)}", n.Name, Wire(n.Kind), Wire(n.Sector), StartOrOpen(n.ValidFrom), EndOrOpen(n.ValidTo),
                Wire(n.Confidence), Ids(n.SourceIds), n.Properties);
            foreach (var (kind, v) in Facts(n))
            {
                var id = (++_factId).ToString(CultureInfo.InvariantCulture);
                _facts.Row(id, FactLabel, n.Id, Wire(kind), v.Value, v.Scheme is { } s ? Wire(s) : null, StartOrOpen(v.ValidFrom), EndOrOpen(v.ValidTo), Ids(v.SourceIds));
                _hasFact.Row(n.Id, id, HasFact);
            }
        }
    }

    public void WriteSources(IReadOnlyList<Source> sources)
    {
        foreach (var s in sources)
        {
            _sources.Row(s.Id, SourceLabel, s.Title, s.Publisher, s.Url, Date(s.Published), Date(s.Retrieved), s.Licence);
        }
    }

    public void WriteRelationships(IReadOnlyList<Relationship> relationships, IReadOnlyDictionary<string, Source> sources)
    {
        foreach (var r in relationships)
        {
            _relationships.Row(r.From, r.To, Wire(r.Type), StartOrOpen(r.ValidFrom), EndOrOpen(r.ValidTo), Wire(r.Confidence), Ids(r.SourceIds), r.Properties,
                Share(r.Properties)?.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    public void End(ExportSummary summary)
    {
        var multiline = Csvs.Any(c => c.Multiline);
        _script.Writer.Write($$"""
            #!/bin/sh
            # OrgGraph export for neo4j-admin (Neo4j 5): {{OneLine(_description)}}.
            # {{summary.Nodes}} organisations (nodes.csv), {{summary.Facts}} names/roles/aliases (facts.csv, has_fact.csv),
            # {{summary.Sources}} sources (sources.csv), {{summary.Relationships}} relationships (relationships.csv).
            # Every organisation, fact and relationship lists the ids of its sources in `sources`; the sources are (:Source) nodes.
            #
            # Imports into a new database: stop Neo4j first; the database must not exist (or pass --overwrite-destination=true).
            #   sh import.sh [DATABASE]    (default neo4j; neo4j-admin on the PATH, or NEO4J_HOME set)
            # Then start Neo4j (Enterprise: CREATE DATABASE for a name other than neo4j), and optionally create the
            # constraints the OrgGraph Neo4j backend uses: cypher-shell -f constraints.cypher
            set -eu
            DIR="$(cd "$(dirname "$0")" && pwd)"
            ADMIN="${NEO4J_HOME:+$NEO4J_HOME/bin/}neo4j-admin"
            "$ADMIN" database import full "${1:-neo4j}" \
              --array-delimiter=';' \{{(multiline ? "\n  --multiline-fields=true \\" : "")}}
              --nodes="$DIR/{{SourcesFile}}" \
              --nodes="$DIR/{{NodesFile}}" \
              --nodes="$DIR/{{FactsFile}}" \
              --relationships="$DIR/{{RelationshipsFile}}" \
              --relationships="$DIR/{{HasFactFile}}"

            """.ReplaceLineEndings("\n"));
        foreach (var constraint in CypherWriter.Constraints)
        {
            _constraints.Writer.Write(constraint + ";\n");
        }

        foreach (var csv in Csvs)
        {
            csv.File.Commit();
        }

        _script.Commit();
        _constraints.Commit();
        Files = [.. Csvs.Select(c => c.File.Path), _script.Path, _constraints.Path];
    }

    public void Dispose()
    {
        foreach (var csv in Csvs)
        {
            csv.File.Dispose();
        }

        _script.Dispose();
        _constraints.Dispose();
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>RFC 4180 rows (CRLF). Null is an empty field (no property); an empty string is <c>""</c>.</summary>
    private sealed class CsvOut(OutputFile file)
    {
        public OutputFile File { get; } = file;

        /// <summary>Whether a field held a line break (neo4j-admin then needs <c>--multiline-fields=true</c>).</summary>
        public bool Multiline { get; private set; }

        public void Row(params string?[] fields)
        {
            var writer = File.Writer;
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                Field(writer, fields[i]);
            }

            writer.Write("\r\n");
        }

        private void Field(TextWriter writer, string? value)
        {
            if (value is null)
            {
                return;
            }

            if (value.Length > 0 && value.AsSpan().IndexOfAny(",\"\r\n") < 0 && value[0] != ' ' && value[^1] != ' ')
            {
                writer.Write(value);
                return;
            }

            Multiline |= value.AsSpan().IndexOfAny('\r', '\n') >= 0;
            writer.Write('"');
            writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            writer.Write('"');
        }
    }
}
