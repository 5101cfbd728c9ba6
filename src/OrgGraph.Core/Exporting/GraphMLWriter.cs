using System.Globalization;
using System.Xml;
using OrgGraph.Model;
using static OrgGraph.Exporting.ExportValues;

namespace OrgGraph.Exporting;

/// <summary>
/// GraphML, directed. Organisations are nodes (GraphML id: the organisation's id, <see cref="XmlConvert.EncodeNmToken"/>
/// encoded where it is not a valid NMTOKEN) with <c>labels</c> <c>:Organisation:&lt;Kind&gt;</c> (as APOC writes them),
/// name, kind, sector, validity, confidence, <c>sources</c> (source ids, <c>;</c>-separated), <c>sourceUrls</c>
/// (space-separated), properties (JSON) and names/roles/aliases (JSON arrays). The sources are a second set of nodes,
/// <c>labels</c> <c>:Source</c> and GraphML id <c>source:&lt;id&gt;</c>, with title, publisher, url, published, retrieved
/// and licence, and no edges. Relationships are edges with type, validity, confidence, sources, sourceUrls, properties.
/// Open ends of a validity are absent. Every attribute has a &lt;key&gt;; <c>label</c> (name, title or type) is for Gephi and yEd.
/// </summary>
internal sealed class GraphMLWriter : IGraphWriter
{
    public const string Namespace = "http://graphml.graphdrawing.org/xmlns";
    public const string SourceIdPrefix = "source:";

    /// <summary>Every &lt;key&gt;: (id, for, attr.name). Ids are prefixed by domain, as node and edge share names.</summary>
    public static readonly IReadOnlyList<(string Id, string For, string Name)> Keys =
    [
        ("g_description", "graph", "description"),
        ("n_labels", "node", "labels"),
        ("n_label", "node", "label"),
        ("n_id", "node", "id"),
        ("n_name", "node", "name"),
        ("n_kind", "node", "kind"),
        ("n_sector", "node", "sector"),
        ("n_validFrom", "node", "validFrom"),
        ("n_validTo", "node", "validTo"),
        ("n_confidence", "node", "confidence"),
        ("n_sources", "node", "sources"),
        ("n_sourceUrls", "node", "sourceUrls"),
        ("n_properties", "node", "properties"),
        ("n_names", "node", "names"),
        ("n_roles", "node", "roles"),
        ("n_aliases", "node", "aliases"),
        ("n_title", "node", "title"),
        ("n_publisher", "node", "publisher"),
        ("n_url", "node", "url"),
        ("n_published", "node", "published"),
        ("n_retrieved", "node", "retrieved"),
        ("n_licence", "node", "licence"),
        ("e_type", "edge", "type"),
        ("e_label", "edge", "label"),
        ("e_validFrom", "edge", "validFrom"),
        ("e_validTo", "edge", "validTo"),
        ("e_confidence", "edge", "confidence"),
        ("e_sources", "edge", "sources"),
        ("e_sourceUrls", "edge", "sourceUrls"),
        ("e_properties", "edge", "properties"),
        ("e_share", "edge", "share"),
    ];

    private readonly OutputFile _file;
    private readonly XmlWriter _xml;
    private long _edges;

    public GraphMLWriter(string path)
    {
        _file = new OutputFile(path);
        _xml = XmlOutput.Create(_file.Writer);
    }

    public IReadOnlyList<string> Files { get; private set; } = [];

    /// <summary>The GraphML id of an organisation.</summary>
    public static string NodeId(string id) => XmlConvert.EncodeNmToken(id);

    public void Begin(ExportSelection selection)
    {
        _xml.WriteStartDocument();
        _xml.WriteStartElement("graphml", Namespace);
        _xml.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
        _xml.WriteAttributeString("xsi", "schemaLocation", "http://www.w3.org/2001/XMLSchema-instance",
            Namespace + " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd");
        _xml.WriteComment(" OrgGraph export. Nodes with labels :Source are the sources; every other node and every edge lists the ids of its sources in 'sources'. ");
        foreach (var (id, domain, name) in Keys)
        {
            _xml.WriteStartElement("key", Namespace);
            _xml.WriteAttributeString("id", id);
            _xml.WriteAttributeString("for", domain);
            _xml.WriteAttributeString("attr.name", name);
            _xml.WriteAttributeString("attr.type", name == "share" ? "double" : "string");
            _xml.WriteEndElement();
        }

        _xml.WriteStartElement("graph", Namespace);
        _xml.WriteAttributeString("id", "orggraph");
        _xml.WriteAttributeString("edgedefault", "directed");
        Data("g_description", "OrgGraph export: " + selection.Description);
    }

    public void WriteNodes(IReadOnlyList<Node> nodes, IReadOnlyDictionary<string, Source> sources)
    {
        foreach (var n in nodes)
        {
            _xml.WriteStartElement("node", Namespace);
            _xml.WriteAttributeString("id", NodeId(n.Id));
            Data("n_labels", $":{OrganisationLabel}:{KindLabel(n.Kind)}");
            Data("n_label", n.Name);
            Data("n_id", n.Id);
            Data("n_name", n.Name);
            Data("n_kind", Wire(n.Kind));
            Data("n_sector", Wire(n.Sector));
            Data("n_validFrom", Date(n.ValidFrom));
            Data("n_validTo", Date(n.ValidTo));
            Data("n_confidence", Wire(n.Confidence));
            Data("n_sources", Ids(n.SourceIds));
            Data("n_sourceUrls", Urls(n.SourceIds, sources));
            Data("n_properties", n.Properties);
            Data("n_names", FactsJson(n.Names));
            Data("n_roles", FactsJson(n.Roles));
            Data("n_aliases", FactsJson(n.Aliases));
            _xml.WriteEndElement();
        }
    }

    public void WriteSources(IReadOnlyList<Source> sources)
    {
        foreach (var s in sources)
        {
            _xml.WriteStartElement("node", Namespace);
            _xml.WriteAttributeString("id", SourceIdPrefix + NodeId(s.Id));
            Data("n_labels", ":" + SourceLabel);
            Data("n_label", s.Title);
            Data("n_id", s.Id);
            Data("n_title", s.Title);
            Data("n_publisher", s.Publisher);
            Data("n_url", s.Url);
            Data("n_published", Date(s.Published));
            Data("n_retrieved", Date(s.Retrieved));
            Data("n_licence", s.Licence);
            _xml.WriteEndElement();
        }
    }

    public void WriteRelationships(IReadOnlyList<Relationship> relationships, IReadOnlyDictionary<string, Source> sources)
    {
        foreach (var r in relationships)
        {
            _xml.WriteStartElement("edge", Namespace);
            _xml.WriteAttributeString("id", "e" + (_edges++).ToString(CultureInfo.InvariantCulture));
            _xml.WriteAttributeString("source", NodeId(r.From));
            _xml.WriteAttributeString("target", NodeId(r.To));
            Data("e_type", Wire(r.Type));
            Data("e_label", Wire(r.Type));
            Data("e_validFrom", Date(r.ValidFrom));
            Data("e_validTo", Date(r.ValidTo));
            Data("e_confidence", Wire(r.Confidence));
            Data("e_sources", Ids(r.SourceIds));
            Data("e_sourceUrls", Urls(r.SourceIds, sources));
            Data("e_properties", r.Properties);
            Data("e_share", Share(r.Properties)?.ToString("R", CultureInfo.InvariantCulture));
            _xml.WriteEndElement();
        }
    }

    public void End(ExportSummary summary)
    {
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

    private void Data(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        _xml.WriteStartElement("data", Namespace);
        _xml.WriteAttributeString("key", key);
        _xml.WriteString(XmlOutput.Text(value));
        _xml.WriteEndElement();
    }
}
