using System.Globalization;
using System.Xml;
using OrgGraph.Model;
using static OrgGraph.Exporting.ExportValues;

namespace OrgGraph.Exporting;

/// <summary>
/// GEXF 1.3, directed and dynamic (<c>timeformat="date"</c>): each organisation and relationship carries its validity as
/// <c>start</c>/<c>end</c> (absent when open), so Gephi's timeline shows the structure on any date. Attributes as in
/// GraphML (<see cref="GraphMLWriter"/>): labels, name, kind, sector, validFrom, validTo, confidence, sources,
/// sourceUrls, properties, names/roles/aliases (JSON); edges have type (also their <c>label</c> and <c>kind</c>, so
/// Gephi keeps parallel edges of different types). The sources are nodes with id <c>source:&lt;id&gt;</c> and labels
/// <c>:Source</c>, with title, publisher, url, published, retrieved and licence, and no edges.
/// </summary>
internal sealed class GexfWriter : IGraphWriter
{
    public const string Namespace = "http://gexf.net/1.3";
    public const string SourceIdPrefix = "source:";

    public static readonly IReadOnlyList<string> NodeAttributes =
    [
        "labels", "id", "name", "kind", "sector", "validFrom", "validTo", "confidence", "sources", "sourceUrls", "properties", "names", "roles", "aliases",
        "title", "publisher", "url", "published", "retrieved", "licence",
    ];

    public static readonly IReadOnlyList<string> EdgeAttributes =
        ["type", "validFrom", "validTo", "confidence", "sources", "sourceUrls", "properties", "share"];

    private readonly OutputFile _file;
    private readonly XmlWriter _xml;
    private long _edges;
    private bool _inEdges;

    public GexfWriter(string path)
    {
        _file = new OutputFile(path);
        _xml = XmlOutput.Create(_file.Writer);
    }

    public IReadOnlyList<string> Files { get; private set; } = [];

    public void Begin(ExportSelection selection)
    {
        _xml.WriteStartDocument();
        _xml.WriteStartElement("gexf", Namespace);
        _xml.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
        _xml.WriteAttributeString("xsi", "schemaLocation", "http://www.w3.org/2001/XMLSchema-instance", Namespace + " http://gexf.net/1.3/gexf.xsd");
        _xml.WriteAttributeString("version", "1.3");
        _xml.WriteStartElement("meta", Namespace);
        _xml.WriteElementString("creator", Namespace, "OrgGraph");
        _xml.WriteElementString("description", Namespace, XmlOutput.Text(
            $"OrgGraph export: {selection.Description}. Nodes with labels :Source are the sources; every other node and every edge lists the ids of its sources in 'sources'."));
        _xml.WriteEndElement();

        _xml.WriteStartElement("graph", Namespace);
        _xml.WriteAttributeString("defaultedgetype", "directed");
        _xml.WriteAttributeString("mode", "dynamic");
        _xml.WriteAttributeString("timeformat", "date");
        Attributes("node", NodeAttributes);
        Attributes("edge", EdgeAttributes);
        _xml.WriteStartElement("nodes", Namespace);
    }

    public void WriteNodes(IReadOnlyList<Node> nodes, IReadOnlyDictionary<string, Source> sources)
    {
        foreach (var n in nodes)
        {
            _xml.WriteStartElement("node", Namespace);
            _xml.WriteAttributeString("id", XmlOutput.Text(n.Id));
            _xml.WriteAttributeString("label", XmlOutput.Token(n.Name));
            Period(n.ValidFrom, n.ValidTo);
            _xml.WriteStartElement("attvalues", Namespace);
            Value("labels", $":{OrganisationLabel}:{KindLabel(n.Kind)}");
            Value("id", n.Id);
            Value("name", n.Name);
            Value("kind", Wire(n.Kind));
            Value("sector", Wire(n.Sector));
            Value("validFrom", Date(n.ValidFrom));
            Value("validTo", Date(n.ValidTo));
            Value("confidence", Wire(n.Confidence));
            Value("sources", Ids(n.SourceIds));
            Value("sourceUrls", Urls(n.SourceIds, sources));
            Value("properties", n.Properties);
            Value("names", FactsJson(n.Names));
            Value("roles", FactsJson(n.Roles));
            Value("aliases", FactsJson(n.Aliases));
            _xml.WriteEndElement();
            _xml.WriteEndElement();
        }
    }

    public void WriteSources(IReadOnlyList<Source> sources)
    {
        foreach (var s in sources)
        {
            _xml.WriteStartElement("node", Namespace);
            _xml.WriteAttributeString("id", XmlOutput.Text(SourceIdPrefix + s.Id));
            _xml.WriteAttributeString("label", XmlOutput.Token(s.Title));
            _xml.WriteStartElement("attvalues", Namespace);
            Value("labels", ":" + SourceLabel);
            Value("id", s.Id);
            Value("title", s.Title);
            Value("publisher", s.Publisher);
            Value("url", s.Url);
            Value("published", Date(s.Published));
            Value("retrieved", Date(s.Retrieved));
            Value("licence", s.Licence);
            _xml.WriteEndElement();
            _xml.WriteEndElement();
        }

        _xml.WriteEndElement();
        _xml.WriteStartElement("edges", Namespace);
        _inEdges = true;
    }

    public void WriteRelationships(IReadOnlyList<Relationship> relationships, IReadOnlyDictionary<string, Source> sources)
    {
        foreach (var r in relationships)
        {
            var type = Wire(r.Type);
            _xml.WriteStartElement("edge", Namespace);
            _xml.WriteAttributeString("id", (_edges++).ToString(CultureInfo.InvariantCulture));
            _xml.WriteAttributeString("source", XmlOutput.Text(r.From));
            _xml.WriteAttributeString("target", XmlOutput.Text(r.To));
            _xml.WriteAttributeString("label", type);
            _xml.WriteAttributeString("kind", type);
            Period(r.ValidFrom, r.ValidTo);
            _xml.WriteStartElement("attvalues", Namespace);
            Value("type", type);
            Value("validFrom", Date(r.ValidFrom));
            Value("validTo", Date(r.ValidTo));
            Value("confidence", Wire(r.Confidence));
            Value("sources", Ids(r.SourceIds));
            Value("sourceUrls", Urls(r.SourceIds, sources));
            Value("properties", r.Properties);
            Value("share", Share(r.Properties)?.ToString("R", CultureInfo.InvariantCulture));
            _xml.WriteEndElement();
            _xml.WriteEndElement();
        }
    }

    public void End(ExportSummary summary)
    {
        if (!_inEdges)
        {
            WriteSources([]);
        }

        _xml.WriteEndElement();
        _xml.WriteEndElement();
        _xml.WriteEndElement();
        _xml.WriteEndDocument();
        _xml.Dispose();
        _file.Writer.Write('\n');
        _file.Commit();
        Files = [_file.Path];
    }

    public void Dispose()
    {
        _xml.Dispose();
        _file.Dispose();
    }

    private void Attributes(string domain, IReadOnlyList<string> names)
    {
        _xml.WriteStartElement("attributes", Namespace);
        _xml.WriteAttributeString("class", domain);
        foreach (var name in names)
        {
            _xml.WriteStartElement("attribute", Namespace);
            _xml.WriteAttributeString("id", name);
            _xml.WriteAttributeString("title", name);
            _xml.WriteAttributeString("type", name == "share" ? "double" : "string");
            _xml.WriteEndElement();
        }

        _xml.WriteEndElement();
    }

    private void Period(DateOnly? from, DateOnly? to)
    {
        if (Date(from) is { } start)
        {
            _xml.WriteAttributeString("start", start);
        }

        if (Date(to) is { } end)
        {
            _xml.WriteAttributeString("end", end);
        }
    }

    private void Value(string attribute, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        _xml.WriteStartElement("attvalue", Namespace);
        _xml.WriteAttributeString("for", attribute);
        _xml.WriteAttributeString("value", XmlOutput.Text(value));
        _xml.WriteEndElement();
    }
}
