using OrgGraph.Model;

namespace OrgGraph.Traversal;

/// <summary>
/// An immutable in-memory snapshot of the graph's topology for traversals: nodes and relationships as
/// parallel arrays, adjacency in compressed sparse row form (outgoing and incoming), dates as day numbers.
/// Evidence (sources, properties) stays in the store and is fetched for the few relationships an answer uses.
/// One million nodes and four million relationships take about 200 MB.
/// </summary>
public sealed class GraphIndex
{
    /// <summary>Day number of an open start or end.</summary>
    public const int OpenStart = int.MinValue, OpenEnd = int.MaxValue;

    private readonly Dictionary<string, int> _byId;

    private GraphIndex(Builder b)
    {
        NodeCount = b.NodeCount;
        EdgeCount = b.EdgeCount;
        Ids = b.Ids;
        Kinds = b.Kinds;
        Sectors = b.Sectors;
        NodeStart = b.NodeStart;
        NodeEnd = b.NodeEnd;
        _byId = b.ById;
        EdgeFrom = b.EdgeFrom;
        EdgeTo = b.EdgeTo;
        EdgeType = b.EdgeType;
        EdgeStart = b.EdgeStart;
        EdgeEnd = b.EdgeEnd;
        EdgeKey = b.EdgeKey;
        EdgeShare = b.EdgeShare;
        (OutStart, OutEdges) = Csr(EdgeFrom, NodeCount, EdgeCount);
        (InStart, InEdges) = Csr(EdgeTo, NodeCount, EdgeCount);
    }

    public int NodeCount { get; }
    public int EdgeCount { get; }
    public string[] Ids { get; }
    public OrgKind[] Kinds { get; }
    public Sector[] Sectors { get; }
    public int[] NodeStart { get; }
    public int[] NodeEnd { get; }
    public int[] EdgeFrom { get; }
    public int[] EdgeTo { get; }
    public RelationshipType[] EdgeType { get; }
    public int[] EdgeStart { get; }
    public int[] EdgeEnd { get; }
    /// <summary>The store's key of each relationship, to fetch its evidence.</summary>
    public long[] EdgeKey { get; }
    /// <summary>OWNED_BY share in percent; NaN where none is stated.</summary>
    public float[] EdgeShare { get; }
    /// <summary>Outgoing relationships of node i are <c>OutEdges[OutStart[i]..OutStart[i+1]]</c>.</summary>
    public int[] OutStart { get; }
    public int[] OutEdges { get; }
    public int[] InStart { get; }
    public int[] InEdges { get; }

    public int? IndexOf(string id) => _byId.TryGetValue(id, out var i) ? i : null;

    public static int Day(DateOnly? date) => date?.DayNumber ?? OpenStart;

    public static int EndDay(DateOnly? date) => date?.DayNumber ?? OpenEnd;

    public static DateOnly? FromDay(int day) => day is OpenStart or OpenEnd ? null : DateOnly.FromDayNumber(day);

    public bool NodeValid(int node, int day) => NodeStart[node] <= day && day <= NodeEnd[node];

    public bool EdgeValid(int edge, int day) => EdgeStart[edge] <= day && day <= EdgeEnd[edge];

    private static (int[] Start, int[] Edges) Csr(int[] endpoint, int nodes, int edges)
    {
        var start = new int[nodes + 1];
        for (var e = 0; e < edges; e++)
        {
            start[endpoint[e] + 1]++;
        }

        for (var i = 0; i < nodes; i++)
        {
            start[i + 1] += start[i];
        }

        var fill = start[..^1];
        var list = new int[edges];
        for (var e = 0; e < edges; e++)
        {
            list[fill[endpoint[e]]++] = e;
        }

        return (start, list);
    }

    /// <summary>Collects nodes, then relationships (whose ends must be known nodes), then builds the index.</summary>
    public sealed class Builder(int nodeCapacity, int edgeCapacity)
    {
        internal int NodeCount;
        internal int EdgeCount;
        internal string[] Ids = new string[nodeCapacity];
        internal OrgKind[] Kinds = new OrgKind[nodeCapacity];
        internal Sector[] Sectors = new Sector[nodeCapacity];
        internal int[] NodeStart = new int[nodeCapacity];
        internal int[] NodeEnd = new int[nodeCapacity];
        internal Dictionary<string, int> ById = new(nodeCapacity, StringComparer.Ordinal);
        internal int[] EdgeFrom = new int[edgeCapacity];
        internal int[] EdgeTo = new int[edgeCapacity];
        internal RelationshipType[] EdgeType = new RelationshipType[edgeCapacity];
        internal int[] EdgeStart = new int[edgeCapacity];
        internal int[] EdgeEnd = new int[edgeCapacity];
        internal long[] EdgeKey = new long[edgeCapacity];
        internal float[] EdgeShare = new float[edgeCapacity];

        /// <summary>Adds a node; returns its index.</summary>
        public int AddNode(string id, OrgKind kind, Sector sector, int startDay, int endDay)
        {
            if (NodeCount == Ids.Length)
            {
                GrowNodes();
            }

            var i = NodeCount++;
            (Ids[i], Kinds[i], Sectors[i], NodeStart[i], NodeEnd[i]) = (id, kind, sector, startDay, endDay);
            ById[id] = i;
            return i;
        }

        /// <summary>Adds a relationship between the nodes of indexes <paramref name="f"/> and <paramref name="t"/>.</summary>
        public void AddEdge(long key, RelationshipType type, int f, int t, int startDay, int endDay, float share)
        {
            if ((uint)f >= (uint)NodeCount || (uint)t >= (uint)NodeCount)
            {
                throw new ArgumentOutOfRangeException(nameof(f), $"relationship {key}: an end is not a node");
            }

            if (EdgeCount == EdgeFrom.Length)
            {
                GrowEdges();
            }

            var e = EdgeCount++;
            (EdgeFrom[e], EdgeTo[e], EdgeType[e], EdgeStart[e], EdgeEnd[e], EdgeKey[e], EdgeShare[e]) = (f, t, type, startDay, endDay, key, share);
        }

        public GraphIndex Build()
        {
            Array.Resize(ref Ids, NodeCount);
            Array.Resize(ref Kinds, NodeCount);
            Array.Resize(ref Sectors, NodeCount);
            Array.Resize(ref NodeStart, NodeCount);
            Array.Resize(ref NodeEnd, NodeCount);
            Array.Resize(ref EdgeFrom, EdgeCount);
            Array.Resize(ref EdgeTo, EdgeCount);
            Array.Resize(ref EdgeType, EdgeCount);
            Array.Resize(ref EdgeStart, EdgeCount);
            Array.Resize(ref EdgeEnd, EdgeCount);
            Array.Resize(ref EdgeKey, EdgeCount);
            Array.Resize(ref EdgeShare, EdgeCount);
            return new GraphIndex(this);
        }

        private void GrowNodes()
        {
            var size = Math.Max(16, Ids.Length * 2);
            Array.Resize(ref Ids, size);
            Array.Resize(ref Kinds, size);
            Array.Resize(ref Sectors, size);
            Array.Resize(ref NodeStart, size);
            Array.Resize(ref NodeEnd, size);
        }

        private void GrowEdges()
        {
            var size = Math.Max(16, EdgeFrom.Length * 2);
            Array.Resize(ref EdgeFrom, size);
            Array.Resize(ref EdgeTo, size);
            Array.Resize(ref EdgeType, size);
            Array.Resize(ref EdgeStart, size);
            Array.Resize(ref EdgeEnd, size);
            Array.Resize(ref EdgeKey, size);
            Array.Resize(ref EdgeShare, size);
        }
    }
}
