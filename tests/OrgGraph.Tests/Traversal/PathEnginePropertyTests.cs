using CsCheck;
using OrgGraph.Model;
using OrgGraph.Traversal;

namespace OrgGraph.Tests.Traversal;

/// <summary>
/// Property-based tests (CsCheck; a failure prints the seed and the shrunk graph) of the path engine on small random
/// dated graphs, each answer held against a plain search over the generated relationship list written here: every
/// path returned is valid (on <c>asOf</c>, or over a common period it reports) and matches the query, no shorter or
/// missing valid path was left out, and the same question gets the same answer.
/// </summary>
public sealed class PathEnginePropertyTests
{
    /// <summary>Dates fall in a short span so that periods often overlap, touch or just miss.</summary>
    private static readonly int Base = new DateOnly(2020, 1, 1).DayNumber;
    private const int Span = 12;

    public sealed record Node(OrgKind Kind, Sector Sector, int Start, int End);

    public sealed record Edge(RelationshipType Type, int From, int To, int Start, int End, float Share);

    public sealed record Graph(Node[] Nodes, Edge[] Edges)
    {
        public override string ToString() =>
            $"nodes: {string.Join(", ", Nodes.Select((n, i) => $"{i}:{n.Kind}/{n.Sector}[{Day(n.Start)}..{Day(n.End)}]"))}; " +
            $"edges: {string.Join(", ", Edges.Select((e, i) => $"#{i} {e.From}-{e.Type}->{e.To}[{Day(e.Start)}..{Day(e.End)}]{(float.IsNaN(e.Share) ? "" : $" {e.Share}%")}"))}";
    }

    public sealed record Query(int From, int To, int? AsOf, int MaxHops, int First, RelationshipType[]? Types, int Seed)
    {
        public TraversalQuery ToTraversalQuery(IReadOnlyCollection<ControlKind>? kinds = null) => new()
        {
            AsOf = AsOf is { } d ? DateOnly.FromDayNumber(d) : null,
            MaxHops = MaxHops,
            First = First,
            Types = Types,
            Kinds = kinds,
        };

        public override string ToString() =>
            $"from {From} to {To}, asOf {(AsOf is { } d ? Day(d) : "none")}, maxHops {MaxHops}, first {First}, types {(Types is null ? "all" : string.Join('|', Types))}, seed {Seed}";
    }

    private static readonly Gen<(int Start, int End)> Period = Gen.Select(Gen.Int[0, Span], Gen.Int[0, Span], Gen.Int[0, 3], Gen.Int[0, 3],
        (a, b, openStart, openEnd) => (openStart == 0 ? GraphIndex.OpenStart : Base + Math.Min(a, b), openEnd == 0 ? GraphIndex.OpenEnd : Base + Math.Max(a, b)));

    private static readonly Gen<Node> Nodes = Gen.Select(Gen.Enum<OrgKind>(), Gen.Enum<Sector>(),
        Gen.Frequency((3, Gen.Const((GraphIndex.OpenStart, GraphIndex.OpenEnd))), (2, Period)),
        (kind, sector, period) => new Node(kind, sector, period.Item1, period.Item2));

    private static Gen<Edge> Edges(int nodes) => Gen.Select(Gen.Enum<RelationshipType>(), Gen.Int[0, nodes - 1], Gen.Int[0, nodes - 1], Period,
        Gen.Frequency((2, Gen.Const(float.NaN)), (1, Gen.Int[1, 100].Select(s => (float)s))),
        (type, from, to, period, share) => new Edge(type, from, to, period.Start, period.End, share));

    /// <summary>2–<paramref name="maxNodes"/> nodes and up to about two relationships a node (some parallel, some loops).</summary>
    private static Gen<Graph> Graphs(int maxNodes) => Gen.Int[2, maxNodes].SelectMany(n =>
        Gen.Select(Nodes.Array[n], Edges(n).Array[0, Math.Min(120, (2 * n) + 4)], (nodes, edges) => new Graph(nodes, edges)));

    private static Gen<Query> Queries(Graph graph) => Gen.Select(
        Gen.Int[0, graph.Nodes.Length - 1],
        Gen.Int[1, graph.Nodes.Length - 1],
        Gen.Frequency((1, Gen.Const((int?)null)), (2, Gen.Int[-1, Span + 1].Select(d => (int?)(Base + d)))),
        Gen.Int[1, 10],
        Gen.Int[1, 20],
        Gen.Frequency((2, Gen.Const((RelationshipType[]?)null)), (1, Gen.Enum<RelationshipType>().Array[1, 6].Select(t => (RelationshipType[]?)[.. t.Distinct()]))),
        Gen.Int,
        (from, offset, asOf, maxHops, first, types, seed) => new Query(from, (from + offset) % graph.Nodes.Length, asOf, maxHops, first, types, seed));

    private static readonly Gen<(Graph Graph, Query Query)> Cases =
        Graphs(40).SelectMany(graph => Queries(graph).Select(query => (graph, query)));

    [Fact]
    public void Connections_AreValidSimplePaths_TheShortestValidOnesFirst_WithNoneLeftOut()
    {
        var outcomes = new Dictionary<string, int>();
        Cases.Sample((graph, query) =>
        {
            var g = Build(graph);
            var q = query.ToTraversalQuery();

            var paths = Traversals.Connections(g, query.From, query.To, q, CancellationToken.None);

            Assert.True(paths.Count <= query.First, $"{paths.Count} paths, first {query.First}");
            foreach (var path in paths)
            {
                AssertConnection(graph, query, path);
            }

            Assert.Equal(paths.Count, paths.Select(p => string.Join(',', p.Edges)).Distinct().Count());
            // The k shortest: the lengths returned are the smallest `first` of all valid simple paths', in order.
            Assert.Equal(ExpectedLengths(graph, query), paths.Select(p => p.Edges.Length));
            if (query.AsOf is not null && paths.Count > 0)
            {
                Assert.Equal(ShortestOnDate(graph, query), paths[0].Edges.Length);
            }

            foreach (var outcome in new[]
            {
                paths.Count == 0 ? "none" : query.AsOf is null ? "undated" : "dated",
                paths.Count > 0 && paths[^1].Edges.Length > paths[0].Edges.Length ? "longer than the shortest" : "",
                paths.Count == query.First ? "first reached" : "",
            })
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }, iter: 1_000, threads: 1, print: Print);

        // The generator must make every kind of answer often enough for the properties to mean something.
        Assert.All(new[] { "none", "undated", "dated", "longer than the shortest", "first reached" },
            o => Assert.True(outcomes.GetValueOrDefault(o) >= 20, $"{o}: {outcomes.GetValueOrDefault(o)} of 1,000"));
    }

    [Fact]
    public void Connections_AreTheSameEachTime_AndTheSameSetWhateverTheOrderRelationshipsWereLoaded()
    {
        Cases.Sample((graph, query) =>
        {
            var g = Build(graph);
            var q = query.ToTraversalQuery();
            var first = Traversals.Connections(g, query.From, query.To, q, CancellationToken.None);
            // Another search in between, on a bigger graph, leaves the per-thread scratch arrays in another state.
            _ = Traversals.Connections(Build(graph with { Nodes = [.. graph.Nodes, .. graph.Nodes] }), query.To, query.From, q with { AsOf = null }, CancellationToken.None);
            var again = Traversals.Connections(Build(graph), query.From, query.To, q, CancellationToken.None);
            Assert.Equal(Describe(first), Describe(again));

            // Loaded in another order, ties between paths of one length may be broken differently (no order is promised
            // among them), but the lengths are the same, and so are the paths when all of them fit in `first`.
            var order = Shuffled(graph.Edges.Length, query.Seed);
            var shuffled = Traversals.Connections(Build(graph, order), query.From, query.To, q, CancellationToken.None);
            Assert.Equal(first.Select(p => p.Edges.Length), shuffled.Select(p => p.Edges.Length));
            if (first.Count < query.First)
            {
                Assert.Equal(Describe(first).Order(StringComparer.Ordinal), Describe(shuffled, e => order[e]).Order(StringComparer.Ordinal));
            }
        }, iter: 400, print: Print);
    }

    [Fact]
    public void WhoControls_ReturnsEveryMaximalControlChain_ValidAndWithinMaxHops_OrRefuses()
    {
        Cases.SelectMany(c => Gen.Frequency((2, Gen.Const((ControlKind[]?)null)), (1, Gen.Enum<ControlKind>().Array[1, 3].Select(k => (ControlKind[]?)[.. k.Distinct()])))
            .Select(kinds => (c.Graph, c.Query, kinds))).Sample((graph, query, kinds) =>
        {
            var g = Build(graph);
            var q = query.ToTraversalQuery(kinds);
            var (expected, refused) = IndependentWhoControls(graph, query, kinds);

            List<IndexPath> chains;
            try
            {
                chains = Traversals.WhoControls(g, query.To, q, CancellationToken.None);
            }
            catch (TraversalLimitException)
            {
                Assert.True(refused, "refused, but every chain fits within maxHops and the cap");
                return;
            }

            Assert.False(refused, "answered, but a chain is longer than maxHops or there are too many");
            foreach (var chain in chains)
            {
                Assert.Equal(query.To, chain.Nodes[^1]);
                Assert.Equal(chain.Nodes.Length, chain.Nodes.Distinct().Count());
                Assert.InRange(chain.Edges.Length, 1, query.MaxHops);
                for (var i = 0; i < chain.Edges.Length; i++)
                {
                    Assert.True(Controls(graph, chain.Edges[i], chain.Nodes[i], chain.Nodes[i + 1], kinds), $"step {i} of {Describe(chain)} confers no control");
                }

                AssertDated(graph, query, chain);
            }

            Assert.Equal(expected.Order(StringComparer.Ordinal), Describe(chains).Order(StringComparer.Ordinal));
            var keys = chains.Select(c => (c.Edges.Length, string.Join('\u0001', c.Nodes.Select(n => Id(n))))).ToList();
            Assert.Equal(keys.OrderBy(k => k.Length).ThenBy(k => k.Item2, StringComparer.Ordinal), keys);

            // The same chains whatever order the relationships were loaded in.
            var order = Shuffled(graph.Edges.Length, query.Seed);
            Assert.Equal(Describe(chains).Order(StringComparer.Ordinal),
                Describe(Traversals.WhoControls(Build(graph, order), query.To, q, CancellationToken.None), e => order[e]).Order(StringComparer.Ordinal));
        }, iter: 600, print: t => $"{t.Item1} / {t.Item2} / kinds {(t.Item3 is null ? "all" : string.Join('|', t.Item3))}");
    }

    [Fact]
    public void ControlledBy_ReachesWhatAnExhaustiveSearchReaches_EachByItsShortestValidChain()
    {
        var nodeKinds = Gen.Frequency((2, Gen.Const((OrgKind[]?)null)), (1, Gen.Enum<OrgKind>().Array[1, 5].Select(k => (OrgKind[]?)[.. k.Distinct()])));
        Cases.SelectMany(c => nodeKinds.Select(kinds => (c.Graph, c.Query, kinds))).Sample((graph, query, nodeKinds) =>
        {
            var q = query.ToTraversalQuery() with { Types = null, NodeKinds = nodeKinds };

            var chains = Traversals.ControlledBy(Build(graph), query.From, q, CancellationToken.None);

            foreach (var chain in chains)
            {
                Assert.Equal(query.From, chain.Nodes[0]);
                Assert.Equal(chain.Nodes.Length, chain.Nodes.Distinct().Count());
                Assert.InRange(chain.Edges.Length, 1, query.MaxHops);
                for (var i = 0; i < chain.Edges.Length; i++)
                {
                    Assert.True(Controls(graph, chain.Edges[i], chain.Nodes[i], chain.Nodes[i + 1], null), $"step {i} of {Describe(chain)} confers no control");
                }

                AssertDated(graph, query, chain);
            }

            Assert.Equal(IndependentControlledBy(graph, query, nodeKinds), chains.Select(c => (c.Nodes[^1], c.Edges.Length)));
        }, iter: 1_000, print: t => $"{t.Item1} / {t.Item2} / nodeKinds {(t.Item3 is null ? "all" : string.Join('|', t.Item3))}");
    }

    /// <summary>
    /// Every node the source controls through a simple chain of at most maxHops steps valid on the date (or sharing a
    /// period), with the length of its shortest such chain, by exhaustive search; of the kinds asked for, shortest
    /// first, then by id, the first <c>first</c>.
    /// </summary>
    private static List<(int Node, int Length)> IndependentControlledBy(Graph graph, Query query, OrgKind[]? nodeKinds)
    {
        var shortest = new Dictionary<int, int>();
        var onPath = new bool[graph.Nodes.Length];

        void Walk(int node, int depth, int lo, int hi)
        {
            if (depth == query.MaxHops)
            {
                return;
            }

            for (var e = 0; e < graph.Edges.Length; e++)
            {
                var edge = graph.Edges[e];
                var controlled = edge.From == node ? edge.To : edge.From;
                if ((edge.From != node && edge.To != node) || onPath[controlled] || !Controls(graph, e, node, controlled, null) || !Usable(graph, query, edge, controlled, lo, hi))
                {
                    continue;
                }

                shortest[controlled] = Math.Min(shortest.GetValueOrDefault(controlled, int.MaxValue), depth + 1);
                onPath[controlled] = true;
                Walk(controlled, depth + 1, Math.Max(lo, edge.Start), Math.Min(hi, edge.End));
                onPath[controlled] = false;
            }
        }

        if (query.AsOf is not { } d || Valid(graph.Nodes[query.From].Start, graph.Nodes[query.From].End, d))
        {
            onPath[query.From] = true;
            Walk(query.From, 0, GraphIndex.OpenStart, GraphIndex.OpenEnd);
        }

        return [.. shortest
            .Where(s => nodeKinds is not { Length: > 0 } || nodeKinds.Contains(graph.Nodes[s.Key].Kind))
            .OrderBy(s => s.Value).ThenBy(s => Id(s.Key), StringComparer.Ordinal)
            .Take(query.First)
            .Select(s => (s.Key, s.Value))];
    }

    [Fact]
    public void PrivatisationPaths_GoDownControlToTheFirstPrivateOrganisation_ThenUpItsControllingOwners()
    {
        Cases.Sample((graph, query) =>
        {
            var g = Build(graph);
            var q = query.ToTraversalQuery() with { Types = null };

            var paths = Traversals.PrivatisationPaths(g, query.From, q, CancellationToken.None);

            Assert.True(paths.Count <= query.First);
            foreach (var path in paths)
            {
                Assert.Equal(query.From, path.Nodes[0]);
                Assert.Equal(path.Nodes.Length, path.Nodes.Distinct().Count());
                Assert.InRange(path.Edges.Length, 1, query.MaxHops);
                var firstPrivate = Array.FindIndex(path.Nodes, 1, n => graph.Nodes[n].Sector == Sector.Private);
                Assert.Equal(firstPrivate, path.FirstPrivate);
                for (var i = 0; i < path.Edges.Length; i++)
                {
                    var edge = graph.Edges[path.Edges[i]];
                    var (from, to) = (path.Nodes[i], path.Nodes[i + 1]);
                    var down = i < firstPrivate;
                    Assert.True(down ? DownStep(graph, edge, from, to) : OwnerStep(edge, from, to), $"step {i} of {Describe(path)} is not a {(down ? "downward" : "controlling owner")} step");
                }

                AssertDated(graph, query, path);
                // The last node is the ultimate owner: nothing owns it in control on the path's date or period.
                var last = path.Nodes[^1];
                Assert.DoesNotContain(graph.Edges, e => OwnerStep(e, last, e.To) && Usable(graph, query, e, e.To, path.Start, path.End));
            }

            Assert.Equal(paths.Select(p => p.Edges.Length).Order(), paths.Select(p => p.Edges.Length));
            Assert.Equal(Describe(paths), Describe(Traversals.PrivatisationPaths(Build(graph), query.From, q, CancellationToken.None)));
        }, iter: 600, print: Print);
    }

    /// <summary>
    /// A payment month: <paramref name="From"/> paid <paramref name="To"/> <paramref name="Pence"/> in "month"
    /// <paramref name="Month"/>, a period of <see cref="MonthDays"/> days (short, so that the span's dates fall on several).
    /// </summary>
    public sealed record Payment(int From, int To, int Month, long Pence, int Count)
    {
        public int Start => Base + (Month * MonthDays);

        public int End => Start + MonthDays - 1;

        public override string ToString() => $"{From}-PAID->{To} m{Month} {Pence}p";
    }

    private const int MonthDays = 3;

    public sealed record MoneyQuery(Query Query, int? PaidFrom, int? PaidTo, PathOrder Order)
    {
        public TraversalQuery ToTraversalQuery() => Query.ToTraversalQuery() with
        {
            Types = null,
            IncludePayments = true,
            PaidFrom = PaidFrom is { } f ? DateOnly.FromDayNumber(f) : null,
            PaidTo = PaidTo is { } t ? DateOnly.FromDayNumber(t) : null,
            Order = Order,
        };

        public override string ToString() => $"{Query}, paid {(PaidFrom is { } f ? Day(f) : "open")}..{(PaidTo is { } t ? Day(t) : "open")}, order {Order}";
    }

    /// <summary>
    /// Payment months (one per pair and month, as the store keys them), some of them credit notes; often from the body asked
    /// about and to a private organisation, so that paths with payments, and with several, are common.
    /// </summary>
    private static Gen<Payment[]> Payments(Graph graph, int source)
    {
        var any = Gen.Int[0, graph.Nodes.Length - 1];
        var privates = Enumerable.Range(0, graph.Nodes.Length).Where(n => graph.Nodes[n].Sector == Sector.Private).ToArray();
        return Gen.Select(Gen.Frequency((1, Gen.Const(source)), (2, any)), privates.Length == 0 ? any : Gen.Frequency((2, Gen.Int[0, Math.Max(0, privates.Length - 1)].Select(i => privates[i])), (1, any)),
                Gen.Int[0, (Span / MonthDays) - 1], Gen.Frequency((5, Gen.Long[1, 100_000]), (1, Gen.Long[-5_000, 0])), Gen.Int[1, 5],
                (f, t, m, pence, count) => new Payment(f, t, m, pence, count))
            .Array[0, (2 * graph.Nodes.Length) + 4]
            .Select(p => p.DistinctBy(x => (x.From, x.To, x.Month)).ToArray());
    }

    private static readonly Gen<(Graph Graph, Payment[] Payments, MoneyQuery Query)> MoneyCases =
        Cases.SelectMany(c => Gen.Select(Payments(c.Graph, c.Query.From),
            Gen.Frequency((1, Gen.Const((int?)null)), (2, Gen.Int[-1, Span + 1].Select(d => (int?)(Base + d)))),
            Gen.Frequency((1, Gen.Const((int?)null)), (2, Gen.Int[-1, Span + 1].Select(d => (int?)(Base + d)))),
            Gen.Frequency((1, Gen.Const(PathOrder.Length)), (2, Gen.Const(PathOrder.Money))),
            (payments, a, b, order) => (c.Graph, payments, new MoneyQuery(c.Query, a is { } x && b is { } y ? Math.Min(x, y) : a, a is { } x2 && b is { } y2 ? Math.Max(x2, y2) : b, order))));

    [Fact]
    public void PrivatisationPaths_WithPayments_TakeOnePaymentInTheWindow_CountItsMoney_AndRankByIt()
    {
        var outcomes = new Dictionary<string, int>();
        MoneyCases.Sample((graph, payments, query) =>
        {
            var g = Build(graph, payments: payments);
            var q = query.ToTraversalQuery();

            var paths = Traversals.PrivatisationPaths(g, query.Query.From, q, CancellationToken.None);

            var all = IndependentPrivatisationPaths(graph, payments, query);
            Assert.True(paths.Count <= query.Query.First);
            foreach (var path in paths)
            {
                var described = Describe(g, path);
                Assert.Contains(described, all.Keys);
                // Its money, from the payment months themselves: the pair's months that overlap the window.
                Assert.Equal(all[described], Money(g, path, q));
            }

            var keys = paths.Select(p => MoneyKey(g, p, q, all)).ToList();
            Assert.Equal(keys.Order(MoneyOrder(query.Order)), keys, MoneyOrder(query.Order) is var order ? new Equality<(long, long, int, string)>(order) : null);
            if (query.Order == PathOrder.Money && all.Count > 0)
            {
                // The most money any valid path carries is at the top.
                Assert.True(paths.Count > 0, "no path, but there are valid ones");
                Assert.Equal(all.Values.Max(v => v.Paid ?? 0), keys[0].Paid);
            }

            // Paths without a payment are those of the same question without payments (when neither list is cut short).
            var without = Traversals.PrivatisationPaths(Build(graph, payments: payments), query.Query.From, q with { IncludePayments = false, Order = PathOrder.Length, First = 1_000 }, CancellationToken.None);
            var with = Traversals.PrivatisationPaths(g, query.Query.From, q with { Order = PathOrder.Length, First = 1_000 }, CancellationToken.None);
            Assert.Equal(Describe(without), Describe(with.Where(p => !p.Edges.Any(g.IsPaidPair))));

            foreach (var outcome in new[]
            {
                paths.Any(p => p.Edges.Any(g.IsPaidPair)) ? "paid" : "unpaid",
                paths.Count(p => p.Edges.Any(g.IsPaidPair)) > 1 ? "several paid" : "",
                paths.Any(p => p.Edges.Skip(1).Any(g.IsPaidPair)) ? "paid further down" : "",
                query.Query.AsOf is null ? "" : "dated",
            })
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }, iter: 1_000, print: t => $"{t.Item1} / payments {string.Join(", ", t.Item2.AsEnumerable())} / {t.Item3}");

        // Payments further down than the first step need a longer chain to a body that pays: rarer, still seen.
        Assert.All(new[] { ("paid", 100), ("several paid", 50), ("paid further down", 10), ("dated", 100) },
            o => Assert.True(outcomes.GetValueOrDefault(o.Item1) >= o.Item2, $"{o.Item1}: {outcomes.GetValueOrDefault(o.Item1)} of 1,000"));
    }

    /// <summary>(paid, award, length, ids) of a path, money from the brute-force sums.</summary>
    private static (long Paid, long Award, int Length, string Ids) MoneyKey(GraphIndex g, IndexPath p, TraversalQuery q, Dictionary<string, (long? Paid, long? Award)> all)
    {
        var (paid, award) = all[Describe(g, p)];
        return (paid ?? 0, award ?? 0, p.Edges.Length, string.Join('\u0001', p.Nodes.Select(Id)));
    }

    private static IComparer<(long Paid, long Award, int Length, string Ids)> MoneyOrder(PathOrder order) =>
        Comparer<(long Paid, long Award, int Length, string Ids)>.Create((a, b) =>
            order == PathOrder.Money && a.Paid != b.Paid ? b.Paid.CompareTo(a.Paid)
            : order == PathOrder.Money && a.Award != b.Award ? b.Award.CompareTo(a.Award)
            : a.Length != b.Length ? a.Length.CompareTo(b.Length)
            : string.CompareOrdinal(a.Ids, b.Ids));

    private sealed class Equality<T>(IComparer<T> comparer) : IEqualityComparer<T>
    {
        public bool Equals(T? x, T? y) => comparer.Compare(x!, y!) == 0;

        public int GetHashCode(T obj) => 0;
    }

    private static (long? Paid, long? Award) Money(GraphIndex g, IndexPath path, TraversalQuery q) => Traversals.Money(g, path, q);

    /// <summary>A path with a payment step named by its ends (the index's pair numbers are its own), its other steps by generated relationship.</summary>
    private static string Describe(GraphIndex g, IndexPath p) =>
        $"{string.Join('-', p.Nodes)} via {string.Join(',', p.Edges.Select(e => g.IsPaidPair(e) ? $"paid {g.EdgeFrom[e]}>{g.EdgeTo[e]}" : $"{g.EdgeKey[e]}"))} [{Day(p.Start)}..{Day(p.End)}] {p.FirstPrivate}";

    /// <summary>
    /// Every privatisation path with at most one payment, by exhaustive search, with its money: down oversight, commissioning,
    /// operation, contracts and (once) a payment whose pair has a month in the window (on a date only the supplier must be
    /// valid; without one the months' span must overlap the path's period), after which only operation, to the first
    /// private node, then up every chain
    /// of controlling owners to one with none usable. Keyed as <see cref="Describe(GraphIndex, IndexPath)"/> gives them;
    /// money: the payment's months in the window summed, and the largest award (an AWARDED_TO relationship's share × 1,000 pence).
    /// </summary>
    private static Dictionary<string, (long? Paid, long? Award)> IndependentPrivatisationPaths(Graph graph, Payment[] payments, MoneyQuery money)
    {
        var query = money.Query;
        var (from, to) = (money.PaidFrom ?? GraphIndex.OpenStart, money.PaidTo ?? GraphIndex.OpenEnd);
        var result = new Dictionary<string, (long?, long?)>();
        var nodes = new List<int> { query.From };
        var steps = new List<string>();
        long? paid = null;
        var awards = new List<long>();
        bool NodeOk(int n) => query.AsOf is not { } d || Valid(graph.Nodes[n].Start, graph.Nodes[n].End, d);
        bool Private(int n) => graph.Nodes[n].Sector == Sector.Private;

        void Emit(int lo, int hi) =>
            result[$"{string.Join('-', nodes)} via {string.Join(',', steps)} [{Day(lo)}..{Day(hi)}] {nodes.FindIndex(1, Private)}"] = (paid, awards.Count == 0 ? null : awards.Max());

        void Up(int node, int lo, int hi)
        {
            var extended = false;
            var owned = false;
            for (var e = 0; e < graph.Edges.Length; e++)
            {
                var edge = graph.Edges[e];
                if (!OwnerStep(edge, node, edge.To) || !Usable(graph, query, edge, edge.To, lo, hi))
                {
                    continue;
                }

                owned = true;
                if (nodes.Contains(edge.To) || steps.Count == query.MaxHops)
                {
                    continue;
                }

                extended = true;
                nodes.Add(edge.To);
                steps.Add($"{e}");
                Up(edge.To, Math.Max(lo, edge.Start), Math.Min(hi, edge.End));
                nodes.RemoveAt(nodes.Count - 1);
                steps.RemoveAt(steps.Count - 1);
            }

            if (!extended && !owned)
            {
                Emit(lo, hi);
            }
        }

        void Down(int node, int lo, int hi)
        {
            if (nodes.Count > 1 && Private(node))
            {
                Up(node, lo, hi);
                return;
            }

            if (steps.Count == query.MaxHops)
            {
                return;
            }

            for (var e = 0; e < graph.Edges.Length; e++)
            {
                var edge = graph.Edges[e];
                var next = edge.From == node ? edge.To : edge.From;
                // After the payment, only operation: the payee to the company that runs it.
                if ((edge.From != node && edge.To != node) || nodes.Contains(next) || !DownStep(graph, edge, node, next) || !Usable(graph, query, edge, next, lo, hi) ||
                    (paid is not null && edge.Type != RelationshipType.OperatedBy))
                {
                    continue;
                }

                var award = edge.Type == RelationshipType.AwardedTo && !float.IsNaN(edge.Share);
                nodes.Add(next);
                steps.Add($"{e}");
                if (award)
                {
                    awards.Add(Award(edge));
                }

                Down(next, Math.Max(lo, edge.Start), Math.Min(hi, edge.End));
                nodes.RemoveAt(nodes.Count - 1);
                steps.RemoveAt(steps.Count - 1);
                if (award)
                {
                    awards.RemoveAt(awards.Count - 1);
                }
            }

            if (paid is not null)
            {
                return;
            }

            foreach (var supplier in payments.Where(p => p.From == node).Select(p => p.To).Distinct())
            {
                var months = payments.Where(p => p.From == node && p.To == supplier && p.Start <= to && from <= p.End).ToList();
                var (start, end) = months.Count == 0 ? (0, -1) : (months.Min(m => m.Start), months.Max(m => m.End));
                if (months.Count == 0 || nodes.Contains(supplier) || !NodeOk(supplier) || (query.AsOf is null && Math.Max(lo, start) > Math.Min(hi, end)))
                {
                    continue;
                }

                nodes.Add(supplier);
                steps.Add($"paid {node}>{supplier}");
                paid = months.Sum(m => m.Pence);
                var (nlo, nhi) = query.AsOf is null ? (Math.Max(lo, start), Math.Min(hi, end)) : (lo, hi);
                Down(supplier, nlo, nhi);
                paid = null;
                nodes.RemoveAt(nodes.Count - 1);
                steps.RemoveAt(steps.Count - 1);
            }
        }

        if (NodeOk(query.From))
        {
            Down(query.From, GraphIndex.OpenStart, GraphIndex.OpenEnd);
        }

        return result;
    }

    private static long Award(Edge edge) => (long)edge.Share * 1_000;

    private static string Print((Graph Graph, Query Query) c) => $"{c.Graph} / {c.Query}";

    private static string Day(int day) => day switch
    {
        GraphIndex.OpenStart => "open",
        GraphIndex.OpenEnd => "open",
        _ => (day - Base).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Id(int node) => $"n{node:D2}";

    /// <summary>The index of the graph, relationships added in <paramref name="order"/> (edge i of the index is <c>graph.Edges[order[i]]</c>).</summary>
    private static GraphIndex Build(Graph graph, int[]? order = null, Payment[]? payments = null)
    {
        var builder = new GraphIndex.Builder(graph.Nodes.Length, graph.Edges.Length);
        for (var i = 0; i < graph.Nodes.Length; i++)
        {
            var node = graph.Nodes[i];
            builder.AddNode(Id(i), node.Kind, node.Sector, node.Start, node.End);
        }

        foreach (var i in order ?? Enumerable.Range(0, graph.Edges.Length))
        {
            var edge = graph.Edges[i];
            var e = builder.AddEdge(i, edge.Type, edge.From, edge.To, edge.Start, edge.End, edge.Share);
            if (payments is not null && edge.Type == RelationshipType.AwardedTo && !float.IsNaN(edge.Share))
            {
                builder.AddAward(e, Award(edge));
            }
        }

        foreach (var (p, i) in (payments ?? []).Select((p, i) => (p, i)))
        {
            builder.AddPayment(-1 - i, p.From, p.To, p.Start, p.End, p.Pence, p.Count);
        }

        return builder.Build();
    }

    private static int[] Shuffled(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>Each path as its nodes, relationships (as indexes into the generated list) and period.</summary>
    private static List<string> Describe(IEnumerable<IndexPath> paths, Func<int, int>? edgeOf = null) =>
        [.. paths.Select(p => Describe(p, edgeOf))];

    private static string Describe(IndexPath p, Func<int, int>? edgeOf = null) =>
        $"{string.Join('-', p.Nodes)} via {string.Join(',', p.Edges.Select(edgeOf ?? (e => e)))} [{Day(p.Start)}..{Day(p.End)}] {p.FirstPrivate}";

    private static bool Valid(int start, int end, int day) => start <= day && day <= end;

    private static bool Allowed(Query query, Edge edge) => query.Types is not { Length: > 0 } types || types.Contains(edge.Type);

    /// <summary>On a date, the relationship and the node it leads to are valid then; otherwise the relationship overlaps [lo, hi].</summary>
    private static bool Usable(Graph graph, Query query, Edge edge, int next, int lo, int hi) => query.AsOf is { } d
        ? Valid(edge.Start, edge.End, d) && Valid(graph.Nodes[next].Start, graph.Nodes[next].End, d)
        : Math.Max(lo, edge.Start) <= Math.Min(hi, edge.End);

    /// <summary>
    /// A path's dates: on <c>asOf</c> every node and relationship is valid that day; without it the relationships
    /// share a period, and the path reports exactly that intersection.
    /// </summary>
    private static void AssertDated(Graph graph, Query query, IndexPath path)
    {
        var lo = path.Edges.Max(e => graph.Edges[e].Start);
        var hi = path.Edges.Min(e => graph.Edges[e].End);
        Assert.True(lo <= hi, $"{Describe(path)}: its relationships share no period");
        Assert.Equal((Day(lo), Day(hi)), (Day(path.Start), Day(path.End)));
        if (query.AsOf is { } d)
        {
            Assert.All(path.Edges, e => Assert.True(Valid(graph.Edges[e].Start, graph.Edges[e].End, d), $"{Describe(path)}: relationship #{e} is not valid on {Day(d)}"));
            Assert.All(path.Nodes, n => Assert.True(Valid(graph.Nodes[n].Start, graph.Nodes[n].End, d), $"{Describe(path)}: node {n} is not valid on {Day(d)}"));
        }
    }

    private static void AssertConnection(Graph graph, Query query, IndexPath path)
    {
        Assert.Equal((query.From, query.To), (path.Nodes[0], path.Nodes[^1]));
        Assert.Equal(path.Nodes.Length - 1, path.Edges.Length);
        Assert.InRange(path.Edges.Length, 1, query.MaxHops);
        Assert.Equal(path.Nodes.Length, path.Nodes.Distinct().Count());
        for (var i = 0; i < path.Edges.Length; i++)
        {
            var edge = graph.Edges[path.Edges[i]];
            Assert.True((edge.From, edge.To) == (path.Nodes[i], path.Nodes[i + 1]) || (edge.To, edge.From) == (path.Nodes[i], path.Nodes[i + 1]),
                $"{Describe(path)}: relationship #{path.Edges[i]} does not join step {i}");
            Assert.True(Allowed(query, edge), $"{Describe(path)}: {edge.Type} is not among the types asked for");
        }

        AssertDated(graph, query, path);
    }

    /// <summary>Undirected adjacency over the relationships a connection may use on the query's date (all dates when none).</summary>
    private static List<(int Edge, int Other)>[] Adjacency(Graph graph, Query query)
    {
        var adjacency = Enumerable.Range(0, graph.Nodes.Length).Select(_ => new List<(int, int)>()).ToArray();
        for (var e = 0; e < graph.Edges.Length; e++)
        {
            var edge = graph.Edges[e];
            if (Allowed(query, edge) && (query.AsOf is not { } d || Valid(edge.Start, edge.End, d)))
            {
                adjacency[edge.From].Add((e, edge.To));
                adjacency[edge.To].Add((e, edge.From));
            }
        }

        return adjacency;
    }

    /// <summary>Breadth-first distances to <paramref name="target"/> through nodes valid on the date (a lower bound on any path's remaining length).</summary>
    private static int[] DistancesTo(Graph graph, Query query, List<(int Edge, int Other)>[] adjacency, int target)
    {
        var distance = Enumerable.Repeat(int.MaxValue, graph.Nodes.Length).ToArray();
        bool Open(int n) => query.AsOf is not { } d || Valid(graph.Nodes[n].Start, graph.Nodes[n].End, d);
        if (!Open(target))
        {
            return distance;
        }

        distance[target] = 0;
        var queue = new Queue<int>([target]);
        while (queue.TryDequeue(out var node))
        {
            foreach (var (_, other) in adjacency[node])
            {
                if (distance[other] == int.MaxValue && Open(other))
                {
                    distance[other] = distance[node] + 1;
                    queue.Enqueue(other);
                }
            }
        }

        return distance;
    }

    private static int? ShortestOnDate(Graph graph, Query query)
    {
        var distance = DistancesTo(graph, query, Adjacency(graph, query), query.To)[query.From];
        return distance == int.MaxValue ? null : distance;
    }

    /// <summary>
    /// The lengths of the <c>first</c> shortest valid simple paths, by exhaustive depth-first search for each length in
    /// turn (pruned only by the plain distance to the target): on a date every node and relationship valid then,
    /// otherwise relationships with a common period.
    /// </summary>
    private static List<int> ExpectedLengths(Graph graph, Query query)
    {
        var adjacency = Adjacency(graph, query);
        var distance = DistancesTo(graph, query, adjacency, query.To);
        var lengths = new List<int>();
        if (query.AsOf is { } d && !Valid(graph.Nodes[query.From].Start, graph.Nodes[query.From].End, d))
        {
            return lengths;
        }

        var onPath = new bool[graph.Nodes.Length];
        for (var length = 1; length <= query.MaxHops && lengths.Count < query.First; length++)
        {
            var wanted = query.First - lengths.Count;
            var found = 0;

            void Walk(int node, int steps, int lo, int hi)
            {
                if (node == query.To)
                {
                    found += steps == length ? 1 : 0;
                    return;
                }

                foreach (var (e, other) in adjacency[node])
                {
                    var edge = graph.Edges[e];
                    var (nlo, nhi) = (Math.Max(lo, edge.Start), Math.Min(hi, edge.End));
                    if (found < wanted && !onPath[other] && distance[other] <= length - steps - 1 && nlo <= nhi)
                    {
                        onPath[other] = true;
                        Walk(other, steps + 1, nlo, nhi);
                        onPath[other] = false;
                    }
                }
            }

            onPath[query.From] = true;
            Walk(query.From, 0, GraphIndex.OpenStart, GraphIndex.OpenEnd);
            onPath[query.From] = false;
            lengths.AddRange(Enumerable.Repeat(length, found));
        }

        return lengths;
    }

    /// <summary>
    /// Whether relationship <paramref name="e"/> makes <paramref name="controller"/> control <paramref name="controlled"/>,
    /// by DESIGN.md's table: PART_OF a national body, region or ICS and ACCOUNTABLE_TO are oversight by the parent;
    /// COMMISSIONED_BY, OPERATED_BY and OWNED_BY (any share) are control by their target; AWARDED_TO by the contract
    /// over its supplier. BID_FOR is not control here.
    /// </summary>
    private static bool Controls(Graph graph, int e, int controller, int controlled, ControlKind[]? kinds)
    {
        var edge = graph.Edges[e];
        ControlKind? kind = edge.Type switch
        {
            RelationshipType.PartOf when graph.Nodes[edge.To].Kind is OrgKind.NationalBody or OrgKind.Region or OrgKind.Ics => ControlKind.Oversight,
            RelationshipType.AccountableTo => ControlKind.Oversight,
            RelationshipType.CommissionedBy => ControlKind.Commissioning,
            RelationshipType.OperatedBy => ControlKind.Operation,
            RelationshipType.OwnedBy => ControlKind.Ownership,
            RelationshipType.AwardedTo => ControlKind.Contract,
            _ => null,
        };
        var (expectedController, expectedControlled) = edge.Type == RelationshipType.AwardedTo ? (edge.From, edge.To) : (edge.To, edge.From);
        return kind is { } k && (kinds is not { Length: > 0 } || kinds.Contains(k)) && (controller, controlled) == (expectedController, expectedControlled);
    }

    /// <summary>
    /// Every chain of control into the target that cannot be extended by another controller (not already on it), by
    /// exhaustive search; refused when a chain would need more than maxHops steps, or there are over 1,000 chains.
    /// </summary>
    private static (List<string> Chains, bool Refused) IndependentWhoControls(Graph graph, Query query, ControlKind[]? kinds)
    {
        var chains = new List<string>();
        var nodes = new List<int> { query.To };
        var edges = new List<int>();
        var refused = false;

        void Walk(int node, int lo, int hi)
        {
            var extended = false;
            for (var e = 0; e < graph.Edges.Length && !refused; e++)
            {
                var edge = graph.Edges[e];
                var controller = edge.From == node ? edge.To : edge.From;
                if ((edge.From != node && edge.To != node) || !Controls(graph, e, controller, node, kinds) || nodes.Contains(controller) ||
                    !Usable(graph, query, edge, controller, lo, hi))
                {
                    continue;
                }

                if (edges.Count == query.MaxHops)
                {
                    refused = true;
                    return;
                }

                extended = true;
                nodes.Add(controller);
                edges.Add(e);
                Walk(controller, Math.Max(lo, edge.Start), Math.Min(hi, edge.End));
                nodes.RemoveAt(nodes.Count - 1);
                edges.RemoveAt(edges.Count - 1);
            }

            if (!extended && edges.Count > 0 && !refused)
            {
                refused = chains.Count == Traversals.MaxChains;
                chains.Add(Describe(new IndexPath([.. Enumerable.Reverse(nodes)], [.. Enumerable.Reverse(edges)], lo, hi)));
            }
        }

        if (query.AsOf is not { } d || Valid(graph.Nodes[query.To].Start, graph.Nodes[query.To].End, d))
        {
            Walk(query.To, GraphIndex.OpenStart, GraphIndex.OpenEnd);
        }

        return (chains, refused);
    }

    /// <summary>A privatisation path's first part: oversight or commissioning down to the overseen or provider, operation up to the operator, a contract to its supplier.</summary>
    private static bool DownStep(Graph graph, Edge edge, int from, int to) => edge.Type switch
    {
        RelationshipType.PartOf => graph.Nodes[edge.To].Kind is OrgKind.NationalBody or OrgKind.Region or OrgKind.Ics && (edge.To, edge.From) == (from, to),
        RelationshipType.AccountableTo or RelationshipType.CommissionedBy => (edge.To, edge.From) == (from, to),
        RelationshipType.OperatedBy or RelationshipType.AwardedTo => (edge.From, edge.To) == (from, to),
        _ => false,
    };

    /// <summary>Up OWNED_BY to an owner with control: over 50%, or no share stated.</summary>
    private static bool OwnerStep(Edge edge, int from, int to) =>
        edge.Type == RelationshipType.OwnedBy && (float.IsNaN(edge.Share) || edge.Share > 50) && (edge.From, edge.To) == (from, to);
}
