using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using OrgGraph.Exporting;
using OrgGraph.Importing;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Tests.Exporting;

// What an export says, in one shape for every format, so the same assertions apply to all of them. Every field is a
// string (lists joined), so records compare by value. Open ends are null whichever way the format writes them.
public sealed record ExportedNode(string Id, string Name, string Kind, string Sector, string? ValidFrom, string? ValidTo, string Confidence,
    string Sources, string Properties, string Facts);

public sealed record ExportedEdge(string Type, string From, string To, string? ValidFrom, string? ValidTo, string Confidence, string Sources, string Properties);

public sealed record ExportedSource(string Id, string Title, string? Publisher, string? Url, string? Published, string? Retrieved, string? Licence);

public sealed class ExportedGraph
{
    public Dictionary<string, ExportedNode> Nodes { get; } = new(StringComparer.Ordinal);
    public List<ExportedEdge> Edges { get; } = [];
    public Dictionary<string, ExportedSource> Sources { get; } = new(StringComparer.Ordinal);
    public int Facts { get; set; }

    /// <summary>Every source id the nodes, facts and edges cite.</summary>
    public IEnumerable<string> Cited => Nodes.Values.SelectMany(n => Split(n.Sources).Concat(FactSources(n.Facts)))
        .Concat(Edges.SelectMany(e => Split(e.Sources)));

    public static IEnumerable<string> Split(string ids) => ids.Split(';', StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<string> FactSources(string facts) =>
        facts.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(f => Split(f.Split('|')[^1]));
}

/// <summary>Parses each export format back, checking its structure on the way (headers, keys, quoting, references).</summary>
public static partial class ExportReader
{
    private const string OpenStart = "0001-01-01";
    private const string OpenEnd = "9999-12-31";

    public static ExportedGraph Read(ExportFormat format, string path) => format switch
    {
        ExportFormat.Neo4jAdmin => ReadNeo4jAdmin(path),
        ExportFormat.Cypher => ReadCypher(File.ReadAllText(path, Encoding.UTF8)),
        ExportFormat.GraphML => ReadGraphML(path),
        ExportFormat.Gexf => ReadGexf(path),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The store's view, in the same shape: every node, relationship and source, through the store port.</summary>
    public static async Task<ExportedGraph> FromStoreAsync(IGraphStore store)
    {
        var graph = new ExportedGraph();
        string? after = null;
        while (true)
        {
            var page = await store.FindNodesAsync(new NodeQuery { AfterId = after, First = 500 }, CancellationToken.None);
            var ids = page.Nodes.Select(n => n.Id).ToList();
            foreach (var node in (await store.GetNodesAsync(ids, CancellationToken.None)).Values)
            {
                graph.Nodes.Add(node.Id, FromStore(node));
                graph.Facts += node.Names.Count + node.Roles.Count + node.Aliases.Count;
            }

            var outgoing = await store.GetRelationshipsAsync(ids, new RelationshipFilter { Direction = Direction.Outgoing }, CancellationToken.None);
            graph.Edges.AddRange(outgoing.Values.SelectMany(l => l).Select(FromStore));
            if (!page.HasNextPage)
            {
                break;
            }

            after = ids[^1];
        }

        foreach (var source in await ((ISourceCatalog)store).ListSourcesAsync(CancellationToken.None))
        {
            graph.Sources.Add(source.Id, FromStore(source));
        }

        return graph;
    }

    public static ExportedNode FromStore(Node n) => new(n.Id, n.Name, EnumNames.ToWire(n.Kind), EnumNames.ToWire(n.Sector), Date(n.ValidFrom), Date(n.ValidTo),
        EnumNames.ToWire(n.Confidence), string.Join(';', n.SourceIds), n.Properties,
        Facts(n.Names.Select(v => ("NAME", v)).Concat(n.Roles.Select(v => ("ROLE", v))).Concat(n.Aliases.Select(v => ("ALIAS", v)))
            .Select(f => Fact(f.Item1, f.v.Value, f.v.Scheme is { } s ? EnumNames.ToWire(s) : null, Date(f.v.ValidFrom), Date(f.v.ValidTo), string.Join(';', f.v.SourceIds)))));

    public static ExportedEdge FromStore(Relationship r) => new(EnumNames.ToWire(r.Type), r.From, r.To, Date(r.ValidFrom), Date(r.ValidTo),
        EnumNames.ToWire(r.Confidence), string.Join(';', r.SourceIds), r.Properties);

    public static ExportedSource FromStore(Source s) => new(s.Id, s.Title, s.Publisher, s.Url, Date(s.Published), Date(s.Retrieved), s.Licence);

    /// <summary>Edges in a canonical order, for comparing multisets.</summary>
    public static List<ExportedEdge> Sorted(IEnumerable<ExportedEdge> edges) =>
        [.. edges.OrderBy(e => $"{e.Type}|{e.From}|{e.To}|{e.ValidFrom}", StringComparer.Ordinal)];

    // ---- neo4j-admin ----

    private static ExportedGraph ReadNeo4jAdmin(string directory)
    {
        var graph = new ExportedGraph();
        var nodes = Csv(directory, "nodes.csv", "id:ID,:LABEL,name,kind,sector,validFrom,validTo,confidence,sources:string[],properties");
        var facts = Csv(directory, "facts.csv", ":ID(Fact),:LABEL,nodeId,fact,value,scheme,validFrom,validTo,sources:string[]");
        var hasFact = Csv(directory, "has_fact.csv", ":START_ID,:END_ID(Fact),:TYPE");
        var sources = Csv(directory, "sources.csv", "id:ID(Source),:LABEL,title,publisher,url,published,retrieved,licence");
        var relationships = Csv(directory, "relationships.csv", ":START_ID,:END_ID,:TYPE,validFrom,validTo,confidence,sources:string[],properties,share:double");

        var factsById = new Dictionary<string, (string NodeId, string Fact)>(StringComparer.Ordinal);
        foreach (var f in facts)
        {
            Assert.Equal("Fact", f[1]);
            factsById.Add(f[0], (f[2], Fact(f[3], f[4], Null(f[5]), From(f[6]), To(f[7]), f[8])));
        }

        foreach (var link in hasFact)
        {
            Assert.Equal("HAS_FACT", link[2]);
            Assert.Equal(factsById[link[1]].NodeId, link[0]);
        }

        Assert.Equal(factsById.Count, hasFact.Count);
        var factsByNode = factsById.Values.ToLookup(f => f.NodeId, f => f.Fact);
        foreach (var n in nodes)
        {
            var kind = EnumNames.Parse<OrgKind>(n[3]);
            Assert.Equal($"Organisation;{kind}", n[1]);
            graph.Nodes.Add(n[0], new ExportedNode(n[0], n[2], n[3], n[4], From(n[5]), To(n[6]), n[7], n[8], n[9], Facts(factsByNode[n[0]])));
        }

        graph.Facts = factsById.Count;
        foreach (var s in sources)
        {
            Assert.Equal("Source", s[1]);
            graph.Sources.Add(s[0], new ExportedSource(s[0], s[2], Null(s[3]), Null(s[4]), Null(s[5]), Null(s[6]), Null(s[7])));
        }

        foreach (var r in relationships)
        {
            graph.Edges.Add(new ExportedEdge(r[2], r[0], r[1], From(r[3]), To(r[4]), r[5], r[6], r[7]));
            Assert.Equal(Share(r[7]), Null(r[8]) is { } share ? double.Parse(share, CultureInfo.InvariantCulture) : null);
        }

        return graph;
    }

    private static List<IReadOnlyList<string>> Csv(string directory, string file, string header)
    {
        using var stream = File.OpenRead(Path.Combine(directory, file));
        var records = CsvReader.Read(stream, file).ToList();
        Assert.Equal(header, string.Join(',', records[0].Fields));
        Assert.All(records, r => Assert.Equal(records[0].Fields.Count, r.Fields.Count));
        return [.. records.Skip(1).Select(r => r.Fields)];
    }

    // ---- Cypher ----

    private const string Lit = @"'(?:[^'\\]|\\.)*'";
    private const string Map = @"\{(?:'(?:[^'\\]|\\.)*'|[^{}'])*\}";

    [GeneratedRegex($@"^MERGE \(o:Organisation \{{id: (?<id>{Lit})\}}\) SET o:(?<label>\w+), o \+= (?<map>{Map})$")]
    private static partial Regex CypherNode();

    [GeneratedRegex($@"^MATCH \(o:Organisation \{{id: (?<id>{Lit})\}}\) MERGE \(f:Fact (?<key>{Map})\) SET f \+= (?<map>{Map}) MERGE \(o\)-\[:HAS_FACT\]->\(f\)$")]
    private static partial Regex CypherFact();

    [GeneratedRegex($@"^MERGE \(s:Source \{{id: (?<id>{Lit})\}}\) SET s \+= (?<map>{Map})$")]
    private static partial Regex CypherSource();

    [GeneratedRegex($@"^MATCH \(a:Organisation \{{id: (?<from>{Lit})\}}\) MATCH \(b:Organisation \{{id: (?<to>{Lit})\}}\) MERGE \(a\)-\[r:(?<type>[A-Z_]+) \{{validFrom: (?<validFrom>{Lit})\}}\]->\(b\) SET r \+= (?<map>{Map})$")]
    private static partial Regex CypherRelationship();

    [GeneratedRegex(@"^CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(\w+:\w+\) REQUIRE .+ IS UNIQUE$")]
    private static partial Regex CypherConstraint();

    /// <summary>
    /// Parses a Cypher export: every line is a comment or one statement ending in <c>;</c> (so the lines and
    /// <see cref="CypherScript.Split"/> must agree), and every statement is one of the export's five forms, whose
    /// literals and maps are parsed here independently of the exporter's escaping.
    /// </summary>
    public static ExportedGraph ReadCypher(string script)
    {
        var lines = script.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal)).ToList();
        Assert.All(lines, l => Assert.EndsWith(";", l));
        var statements = CypherScript.Split(script);
        Assert.Equal(lines.Select(l => l[..^1]), statements);

        var graph = new ExportedGraph();
        var facts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var statement in statements)
        {
            if (CypherNode().Match(statement) is { Success: true } node)
            {
                var id = ParseString(node.Groups["id"].Value);
                var p = ParseMap(node.Groups["map"].Value);
                Assert.Equal(node.Groups["label"].Value, EnumNames.Parse<OrgKind>((string)p["kind"]!).ToString());
                graph.Nodes.Add(id, new ExportedNode(id, S(p, "name")!, S(p, "kind")!, S(p, "sector")!, From(S(p, "validFrom")!), To(S(p, "validTo")!),
                    S(p, "confidence")!, L(p, "sources"), S(p, "properties")!, ""));
            }
            else if (CypherFact().Match(statement) is { Success: true } fact)
            {
                var id = ParseString(fact.Groups["id"].Value);
                var key = ParseMap(fact.Groups["key"].Value);
                var p = ParseMap(fact.Groups["map"].Value);
                Assert.Equal(id, S(key, "nodeId"));
                Assert.True(graph.Nodes.ContainsKey(id), $"fact of {id} before its node");
                (facts.TryGetValue(id, out var list) ? list : facts[id] = []).Add(
                    Fact(S(key, "fact")!, S(key, "value")!, S(p, "scheme"), From(S(key, "validFrom")!), To(S(p, "validTo")!), L(p, "sources")));
                graph.Facts++;
            }
            else if (CypherSource().Match(statement) is { Success: true } source)
            {
                var id = ParseString(source.Groups["id"].Value);
                var p = ParseMap(source.Groups["map"].Value);
                graph.Sources.Add(id, new ExportedSource(id, S(p, "title")!, S(p, "publisher"), S(p, "url"), S(p, "published"), S(p, "retrieved"), S(p, "licence")));
            }
            else if (CypherRelationship().Match(statement) is { Success: true } r)
            {
                var (from, to) = (ParseString(r.Groups["from"].Value), ParseString(r.Groups["to"].Value));
                Assert.True(graph.Nodes.ContainsKey(from) && graph.Nodes.ContainsKey(to), $"relationship {from} -> {to} before its ends");
                var p = ParseMap(r.Groups["map"].Value);
                graph.Edges.Add(new ExportedEdge(r.Groups["type"].Value, from, to, From(ParseString(r.Groups["validFrom"].Value)), To(S(p, "validTo")!),
                    S(p, "confidence")!, L(p, "sources"), S(p, "properties")!));
                Assert.Equal(Share(S(p, "properties")!), (double?)p["share"]);
            }
            else
            {
                Assert.Matches(CypherConstraint(), statement);
            }
        }

        foreach (var (id, list) in facts)
        {
            graph.Nodes[id] = graph.Nodes[id] with { Facts = Facts(list) };
        }

        return graph;
    }

    /// <summary>A Cypher string literal's value: the whole text must be one literal.</summary>
    public static string ParseString(string literal)
    {
        var i = 0;
        var value = ReadValue(literal, ref i);
        Assert.Equal(literal.Length, i);
        return Assert.IsType<string>(value);
    }

    private static Dictionary<string, object?> ParseMap(string text)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        var i = 0;
        Expect(text, ref i, '{');
        while (true)
        {
            SkipSpace(text, ref i);
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            var key = text[start..i];
            Assert.False(string.IsNullOrEmpty(key), $"a key at {start} of {text}");
            Expect(text, ref i, ':');
            map.Add(key, ReadValue(text, ref i));
            SkipSpace(text, ref i);
            if (text[i] == '}')
            {
                Assert.Equal(text.Length, i + 1);
                return map;
            }

            Expect(text, ref i, ',');
        }
    }

    private static object? ReadValue(string text, ref int i)
    {
        SkipSpace(text, ref i);
        if (text[i] == '\'')
        {
            var sb = new StringBuilder();
            for (i++; ; i++)
            {
                Assert.True(i < text.Length, $"an unterminated string literal in {text}");
                var c = text[i];
                if (c == '\'')
                {
                    i++;
                    return sb.ToString();
                }

                Assert.False(c is '\n' or '\r', "a raw line break in a literal");
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }

                var e = text[++i];
                switch (e)
                {
                    case 'u':
                        sb.Append((char)int.Parse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default:
                        sb.Append(e switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', '\\' or '\'' or '"' => e, _ => throw new FormatException($"bad escape \\{e}") });
                        break;
                }
            }
        }

        if (text[i] == '[')
        {
            var list = new List<string>();
            i++;
            SkipSpace(text, ref i);
            if (text[i] == ']')
            {
                i++;
                return list;
            }

            while (true)
            {
                list.Add(Assert.IsType<string>(ReadValue(text, ref i)));
                SkipSpace(text, ref i);
                if (text[i++] == ']')
                {
                    return list;
                }

                Assert.Equal(',', text[i - 1]);
            }
        }

        var start = i;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '-' or '+'))
        {
            i++;
        }

        var word = text[start..i];
        return word == "null" ? null : double.Parse(word, CultureInfo.InvariantCulture);
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
    }

    private static void Expect(string text, ref int i, char c)
    {
        SkipSpace(text, ref i);
        Assert.True(i < text.Length && text[i] == c, $"expected '{c}' at {i} of {text}");
        i++;
    }

    private static string? S(Dictionary<string, object?> map, string key) => (string?)map[key];

    private static string L(Dictionary<string, object?> map, string key) => string.Join(';', (List<string>)map[key]!);

    // ---- GraphML ----

    public static readonly XNamespace GraphMLNs = "http://graphml.graphdrawing.org/xmlns";

    private static ExportedGraph ReadGraphML(string path)
    {
        var doc = XDocument.Load(path);
        var root = doc.Root!;
        Assert.Equal(GraphMLNs + "graphml", root.Name);
        var keys = root.Elements(GraphMLNs + "key").ToDictionary(k => (string)k.Attribute("id")!, k => ((string)k.Attribute("for")!, (string)k.Attribute("attr.name")!));
        Assert.All(root.Elements(GraphMLNs + "key"), k => Assert.True(XmlConvert.VerifyNMTOKEN((string)k.Attribute("attr.name")!) is not null));
        var graphElement = Assert.Single(root.Elements(GraphMLNs + "graph"));
        Assert.Equal("directed", (string?)graphElement.Attribute("edgedefault"));

        string KeyName(string key, string domain)
        {
            Assert.True(keys.TryGetValue(key, out var declared) && declared.Item1 == domain, $"key {key} is not declared for {domain}");
            return declared.Item2;
        }

        Dictionary<string, string> Data(XElement element, string domain) =>
            element.Elements(GraphMLNs + "data").ToDictionary(d => KeyName((string)d.Attribute("key")!, domain), d => d.Value);
        Data(graphElement, "graph");

        var graph = new ExportedGraph();
        var graphMLIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graphElement.Elements(GraphMLNs + "node"))
        {
            var id = (string)node.Attribute("id")!;
            Assert.True(graphMLIds.TryAdd(id, ""), $"duplicate node id {id}");
            Assert.Equal(id, XmlConvert.VerifyNMTOKEN(id));
            var d = Data(node, "node");
            if (d["labels"] == ":Source")
            {
                graph.Sources.Add(d["id"], new ExportedSource(d["id"], d["title"], Get(d, "publisher"), Get(d, "url"), Get(d, "published"), Get(d, "retrieved"), Get(d, "licence")));
                continue;
            }

            Assert.Equal(XmlConvert.EncodeNmToken(d["id"]), id);
            graphMLIds[id] = d["id"];
            Assert.Equal($":Organisation:{EnumNames.Parse<OrgKind>(d["kind"])}", d["labels"]);
            AddXmlNode(graph, d);
        }

        foreach (var edge in graphElement.Elements(GraphMLNs + "edge"))
        {
            var d = Data(edge, "edge");
            string End(string attribute)
            {
                var id = (string)edge.Attribute(attribute)!;
                Assert.True(graphMLIds.TryGetValue(id, out var nodeId) && nodeId.Length > 0, $"edge {attribute} {id} is not an organisation");
                return nodeId!;
            }

            graph.Edges.Add(new ExportedEdge(d["type"], End("source"), End("target"), Get(d, "validFrom"), Get(d, "validTo"), d["confidence"], Get(d, "sources") ?? "", d["properties"]));
            Assert.Equal(Share(d["properties"]), Get(d, "share") is { } share ? double.Parse(share, CultureInfo.InvariantCulture) : null);
        }

        return graph;
    }

    // ---- GEXF ----

    public static readonly XNamespace GexfNs = "http://gexf.net/1.3";

    private static ExportedGraph ReadGexf(string path)
    {
        var doc = XDocument.Load(path);
        var root = doc.Root!;
        Assert.Equal(GexfNs + "gexf", root.Name);
        Assert.Equal("1.3", (string?)root.Attribute("version"));
        var graphElement = root.Element(GexfNs + "graph")!;
        Assert.Equal(["attributes", "attributes", "nodes", "edges"], graphElement.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("directed", (string?)graphElement.Attribute("defaultedgetype"));
        Assert.Equal("date", (string?)graphElement.Attribute("timeformat"));
        var attributes = graphElement.Elements(GexfNs + "attributes").ToDictionary(a => (string)a.Attribute("class")!,
            a => a.Elements(GexfNs + "attribute").ToDictionary(x => (string)x.Attribute("id")!, x => (string)x.Attribute("title")!));

        string Title(string attribute, string domain)
        {
            Assert.True(attributes[domain].TryGetValue(attribute, out var title), $"attribute {attribute} is not declared for {domain}");
            return title!;
        }

        Dictionary<string, string> Values(XElement element, string domain) => element.Element(GexfNs + "attvalues")?.Elements(GexfNs + "attvalue")
            .ToDictionary(v => Title((string)v.Attribute("for")!, domain), v => (string)v.Attribute("value")!) ?? [];

        void Period(XElement element, string? from, string? to)
        {
            Assert.Equal(from, (string?)element.Attribute("start"));
            Assert.Equal(to, (string?)element.Attribute("end"));
        }

        var graph = new ExportedGraph();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graphElement.Element(GexfNs + "nodes")!.Elements(GexfNs + "node"))
        {
            var id = (string)node.Attribute("id")!;
            Assert.True(ids.Add(id), $"duplicate node id {id}");
            var v = Values(node, "node");
            if (v["labels"] == ":Source")
            {
                Assert.Equal("source:" + v["id"], id);
                graph.Sources.Add(v["id"], new ExportedSource(v["id"], v["title"], Get(v, "publisher"), Get(v, "url"), Get(v, "published"), Get(v, "retrieved"), Get(v, "licence")));
                continue;
            }

            Assert.Equal(v["id"], id);
            Assert.Equal($":Organisation:{EnumNames.Parse<OrgKind>(v["kind"])}", v["labels"]);
            AddXmlNode(graph, v);
            Period(node, Get(v, "validFrom"), Get(v, "validTo"));
        }

        foreach (var edge in graphElement.Element(GexfNs + "edges")!.Elements(GexfNs + "edge"))
        {
            var v = Values(edge, "edge");
            var (from, to) = ((string)edge.Attribute("source")!, (string)edge.Attribute("target")!);
            Assert.True(graph.Nodes.ContainsKey(from) && graph.Nodes.ContainsKey(to), $"edge {from} -> {to} to an unknown node");
            Assert.Equal(v["type"], (string?)edge.Attribute("kind"));
            graph.Edges.Add(new ExportedEdge(v["type"], from, to, Get(v, "validFrom"), Get(v, "validTo"), v["confidence"], Get(v, "sources") ?? "", v["properties"]));
            Period(edge, Get(v, "validFrom"), Get(v, "validTo"));
        }

        return graph;
    }

    private static void AddXmlNode(ExportedGraph graph, Dictionary<string, string> d)
    {
        var facts = new List<string>();
        foreach (var (kind, name) in new[] { ("NAME", "names"), ("ROLE", "roles"), ("ALIAS", "aliases") })
        {
            foreach (var f in JsonDocument.Parse(d[name]).RootElement.EnumerateArray())
            {
                string? Text(string p) => f.GetProperty(p).ValueKind == JsonValueKind.Null ? null : f.GetProperty(p).GetString();
                facts.Add(Fact(kind, Text("value")!, Text("scheme"), Text("validFrom"), Text("validTo"),
                    string.Join(';', f.GetProperty("sources").EnumerateArray().Select(s => s.GetString()))));
            }
        }

        graph.Facts += facts.Count;
        graph.Nodes.Add(d["id"], new ExportedNode(d["id"], d["name"], d["kind"], d["sector"], Get(d, "validFrom"), Get(d, "validTo"), d["confidence"],
            Get(d, "sources") ?? "", d["properties"], Facts(facts)));
    }

    // ---- shared ----

    private static string Fact(string kind, string value, string? scheme, string? from, string? to, string sources) =>
        string.Join('|', kind, value, scheme, from, to, sources);

    private static string Facts(IEnumerable<string> facts) => string.Join('\n', facts.Order(StringComparer.Ordinal));

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? From(string text) => text == OpenStart ? null : text;

    private static string? To(string text) => text == OpenEnd ? null : text;

    private static string? Null(string text) => text.Length == 0 ? null : text;

    private static string? Get(Dictionary<string, string> values, string key) => values.GetValueOrDefault(key);

    private static double? Share(string properties) =>
        JsonDocument.Parse(properties).RootElement is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("share", out var s) && s.ValueKind == JsonValueKind.Number
            ? s.GetDouble()
            : null;
}
