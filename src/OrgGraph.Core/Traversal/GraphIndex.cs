using OrgGraph.Model;

namespace OrgGraph.Traversal;

/// <summary>
/// An immutable in-memory snapshot of the graph's topology for traversals: nodes and relationships as
/// parallel arrays, adjacency in compressed sparse row form (outgoing and incoming), dates as day numbers.
/// Evidence (sources, properties) stays in the store and is fetched for the few relationships an answer uses.
/// One million nodes and four million relationships take about 200 MB.
/// <para>
/// PAID relationships (one per body, supplier and month) are not in the adjacency: each (body, supplier) pair is one
/// extra relationship index after the others (<see cref="EdgeCount"/> + pair), reached only through
/// <see cref="PaidOutStart"/>, with its months, sorted, in side arrays, so that no traversal but a privatisation path
/// that asks for payments ever sees them, and the money in a window is a binary search and a short scan.
/// </para>
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
        // The PAID pairs are appended to the relationship arrays first; the adjacency covers only the others.
        (PaidPairCount, PaidMonthStart, MonthStart, MonthEnd, MonthPence, MonthCount, MonthKey) = b.BuildPayments(EdgeCount);
        EdgeFrom = b.EdgeFrom;
        EdgeTo = b.EdgeTo;
        EdgeType = b.EdgeType;
        EdgeStart = b.EdgeStart;
        EdgeEnd = b.EdgeEnd;
        EdgeKey = b.EdgeKey;
        EdgeShare = b.EdgeShare;
        AwardPence = b.AwardPence;
        (OutStart, OutEdges) = Csr(EdgeFrom, NodeCount, 0, EdgeCount);
        (InStart, InEdges) = Csr(EdgeTo, NodeCount, 0, EdgeCount);
        // Without payments (a graph that has none) no offsets per node: 4 MB on a million nodes.
        (PaidOutStart, PaidOutEdges) = PaidPairCount == 0 ? ([], []) : Csr(EdgeFrom, NodeCount, EdgeCount, EdgeCount + PaidPairCount);
    }

    public int NodeCount { get; }
    /// <summary>Relationships in the adjacency: every one but PAID (whose pairs follow them, see the class summary).</summary>
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
    /// <summary>AWARDED_TO relationships with an amount in GBP (the <c>amount</c> property when <c>currency</c> is GBP), in pence.</summary>
    public IReadOnlyDictionary<int, long> AwardPence { get; }
    /// <summary>(body, supplier) pairs with PAID months; pair p is relationship index <see cref="EdgeCount"/> + p (type PAID, no key).</summary>
    public int PaidPairCount { get; }
    /// <summary>The PAID pairs from node i are <c>PaidOutEdges[PaidOutStart[i]..PaidOutStart[i+1]]</c> (relationship indexes); see <see cref="PaidPairsFrom"/>.</summary>
    public int[] PaidOutStart { get; }
    public int[] PaidOutEdges { get; }
    /// <summary>The months of pair p are <c>PaidMonthStart[p]..PaidMonthStart[p+1]</c> in the month arrays, by first day.</summary>
    public int[] PaidMonthStart { get; }
    public int[] MonthStart { get; }
    public int[] MonthEnd { get; }
    /// <summary>The month's total in pence (signed: credit notes can make it negative).</summary>
    public long[] MonthPence { get; }
    /// <summary>The month's payment line count.</summary>
    public int[] MonthCount { get; }
    /// <summary>The store's key of the month's PAID relationship, to fetch its evidence.</summary>
    public long[] MonthKey { get; }
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

    /// <summary>The range of <see cref="PaidOutEdges"/> holding the PAID pairs from <paramref name="node"/> (empty in a graph without payments).</summary>
    public (int Start, int End) PaidPairsFrom(int node) => PaidPairCount == 0 ? (0, 0) : (PaidOutStart[node], PaidOutStart[node + 1]);

    /// <summary>Whether relationship index <paramref name="edge"/> is a PAID (body, supplier) pair.</summary>
    public bool IsPaidPair(int edge) => edge >= EdgeCount;

    /// <summary>
    /// The money of PAID pair <paramref name="edge"/> in the months that overlap [<paramref name="from"/>, <paramref name="to"/>]
    /// (day numbers): their total, line count and the period from the first one's start to the last one's end. A pair
    /// has a few dozen months, so a scan is as quick as a search.
    /// </summary>
    public PaidWindow PaidIn(int edge, int from, int to)
    {
        var (pence, count, start, end, months) = (0L, 0, OpenEnd, OpenStart, 0);
        foreach (var m in PaidMonths(edge, from, to))
        {
            (pence, count, months) = (pence + MonthPence[m], count + MonthCount[m], months + 1);
            (start, end) = (Math.Min(start, MonthStart[m]), Math.Max(end, MonthEnd[m]));
        }

        return new PaidWindow(months, pence, count, start, end);
    }

    /// <summary>The month indexes of PAID pair <paramref name="edge"/> that overlap [<paramref name="from"/>, <paramref name="to"/>], earliest first.</summary>
    public IEnumerable<int> PaidMonths(int edge, int from, int to)
    {
        var pair = edge - EdgeCount;
        for (var m = PaidMonthStart[pair]; m < PaidMonthStart[pair + 1]; m++)
        {
            if (MonthStart[m] <= to && from <= MonthEnd[m])
            {
                yield return m;
            }
        }
    }

    private static (int[] Start, int[] Edges) Csr(int[] endpoint, int nodes, int from, int to)
    {
        var start = new int[nodes + 1];
        for (var e = from; e < to; e++)
        {
            start[endpoint[e] + 1]++;
        }

        for (var i = 0; i < nodes; i++)
        {
            start[i + 1] += start[i];
        }

        var fill = start[..^1];
        var list = new int[to - from];
        for (var e = from; e < to; e++)
        {
            list[fill[endpoint[e]]++] = e;
        }

        return (start, list);
    }

    /// <summary>The months of a PAID pair within a window: how many, their total in pence, their line count and the period they span.</summary>
    public readonly record struct PaidWindow(int Months, long Pence, int Count, int Start, int End)
    {
        public bool Any => Months > 0;
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
        internal Dictionary<int, long> AwardPence = [];
        private readonly List<(int From, int To, int Start, int End, long Pence, int Count, long Key)> _months = [];

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

        /// <summary>Adds a relationship between the nodes of indexes <paramref name="f"/> and <paramref name="t"/>; returns its index.</summary>
        public int AddEdge(long key, RelationshipType type, int f, int t, int startDay, int endDay, float share)
        {
            CheckEnds(key, f, t);

            if (EdgeCount == EdgeFrom.Length)
            {
                GrowEdges();
            }

            var e = EdgeCount++;
            (EdgeFrom[e], EdgeTo[e], EdgeType[e], EdgeStart[e], EdgeEnd[e], EdgeKey[e], EdgeShare[e]) = (f, t, type, startDay, endDay, key, share);
            return e;
        }

        /// <summary>Records the GBP amount of an AWARDED_TO relationship added by <see cref="AddEdge"/>.</summary>
        public void AddAward(int edge, long pence) => AwardPence[edge] = pence;

        /// <summary>
        /// Adds one PAID month (a PAID relationship, key <paramref name="key"/>) from body <paramref name="f"/> to supplier
        /// <paramref name="t"/>. Months added pair by pair, each pair's earliest first (as the store reads them), need no sort.
        /// </summary>
        public void AddPayment(long key, int f, int t, int startDay, int endDay, long pence, int count)
        {
            CheckEnds(key, f, t);
            _months.Add((f, t, startDay, endDay, pence, count, key));
        }

        /// <summary>
        /// Groups the months into (body, supplier) pairs, appended to the relationship arrays after the
        /// <paramref name="edges"/> others, and returns the pair count and the month arrays.
        /// </summary>
        internal (int Pairs, int[] PairStart, int[] Start, int[] End, long[] Pence, int[] Count, long[] Key) BuildPayments(int edges)
        {
            var months = _months;
            if (!Grouped(months))
            {
                // A generic sort over this struct runs as unoptimised code the first times an index is built: only when needed.
                months.Sort((a, b) => a.From != b.From ? a.From.CompareTo(b.From) : a.To != b.To ? a.To.CompareTo(b.To) : a.Start.CompareTo(b.Start));
            }

            var (start, end, amount, count, key) = (new int[months.Count], new int[months.Count], new long[months.Count], new int[months.Count], new long[months.Count]);
            var pairStart = new List<int>();
            for (var i = 0; i < months.Count; i++)
            {
                var m = months[i];
                (start[i], end[i], amount[i], count[i], key[i]) = (m.Start, m.End, m.Pence, m.Count, m.Key);
                if (i == 0 || (m.From, m.To) != (months[i - 1].From, months[i - 1].To))
                {
                    pairStart.Add(i);
                }
            }

            var pairs = pairStart.Count;
            pairStart.Add(months.Count);
            Array.Resize(ref EdgeFrom, edges + pairs);
            Array.Resize(ref EdgeTo, edges + pairs);
            Array.Resize(ref EdgeType, edges + pairs);
            Array.Resize(ref EdgeStart, edges + pairs);
            Array.Resize(ref EdgeEnd, edges + pairs);
            Array.Resize(ref EdgeKey, edges + pairs);
            Array.Resize(ref EdgeShare, edges + pairs);
            for (var p = 0; p < pairs; p++)
            {
                var first = months[pairStart[p]];
                var last = first.End;
                for (var i = pairStart[p] + 1; i < pairStart[p + 1]; i++)
                {
                    last = Math.Max(last, end[i]);
                }

                // The pair's period spans all its months; a query takes the months of its window (PaidIn).
                var e = edges + p;
                (EdgeFrom[e], EdgeTo[e], EdgeType[e], EdgeStart[e], EdgeEnd[e], EdgeKey[e], EdgeShare[e]) = (first.From, first.To, RelationshipType.Paid, first.Start, last, 0, float.NaN);
            }

            return (pairs, [.. pairStart], start, end, amount, count, key);
        }

        /// <summary>Whether each pair's months are together and in order of their start.</summary>
        private static bool Grouped(List<(int From, int To, int Start, int End, long Pence, int Count, long Key)> months)
        {
            var seen = new HashSet<long>();
            for (var i = 0; i < months.Count; i++)
            {
                var pair = ((long)months[i].From << 32) | (uint)months[i].To;
                if (i > 0 && (months[i].From, months[i].To) == (months[i - 1].From, months[i - 1].To))
                {
                    if (months[i].Start < months[i - 1].Start)
                    {
                        return false;
                    }
                }
                else if (!seen.Add(pair))
                {
                    return false;
                }
            }

            return true;
        }

        private void CheckEnds(long key, int f, int t)
        {
            if ((uint)f >= (uint)NodeCount || (uint)t >= (uint)NodeCount)
            {
                throw new ArgumentOutOfRangeException(nameof(f), $"relationship {key}: an end is not a node");
            }
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
