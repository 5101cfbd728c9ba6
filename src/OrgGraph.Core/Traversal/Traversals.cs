using OrgGraph.Model;

namespace OrgGraph.Traversal;

/// <summary>A path found in a <see cref="GraphIndex"/>: node and relationship indexes in walking order, and the period all steps share.</summary>
public sealed record IndexPath(int[] Nodes, int[] Edges, int Start, int End, int? FirstPrivate = null);

/// <summary>
/// The investigative traversals of DESIGN.md over a <see cref="GraphIndex"/>. Every one is bounded by
/// <see cref="TraversalQuery.MaxHops"/>, polls the cancellation token, and on a query without a date keeps
/// only paths whose relationships share a period (tracked as the running intersection of their periods).
/// </summary>
public static class Traversals
{
    /// <summary>Most control chains <see cref="WhoControls"/> returns before refusing with a limit error.</summary>
    public const int MaxChains = 1_000;

    private const int LabelsPerNode = 8;

    /// <summary>The control kind an edge confers on its controller, or null.</summary>
    public static ControlKind? ControlKindOf(GraphIndex g, int edge, bool includeBids = false) => g.EdgeType[edge] switch
    {
        RelationshipType.PartOf => g.Kinds[g.EdgeTo[edge]] is OrgKind.NationalBody or OrgKind.Region or OrgKind.Ics ? ControlKind.Oversight : null,
        RelationshipType.AccountableTo => ControlKind.Oversight,
        RelationshipType.CommissionedBy => ControlKind.Commissioning,
        RelationshipType.OperatedBy => ControlKind.Operation,
        RelationshipType.OwnedBy => ControlKind.Ownership,
        RelationshipType.AwardedTo => ControlKind.Contract,
        RelationshipType.BidFor => includeBids ? ControlKind.Contract : null,
        _ => null,
    };

    /// <summary>An ownership interest of 50% or less: influence, reported but flagged.</summary>
    public static bool InfluenceOnly(GraphIndex g, int edge) =>
        g.EdgeType[edge] == RelationshipType.OwnedBy && !float.IsNaN(g.EdgeShare[edge]) && g.EdgeShare[edge] <= 50;

    /// <summary>
    /// Every chain of control ending at <paramref name="target"/>, walked back to the ultimate controllers
    /// (nodes nothing controls under the same filter). Nodes are ordered controller first.
    /// </summary>
    public static List<IndexPath> WhoControls(GraphIndex g, int target, TraversalQuery q, CancellationToken ct)
    {
        var results = new List<IndexPath>();
        var nodes = new List<int> { target };
        var edges = new List<int>();
        var budget = new Budget(ct);
        var day = q.AsOf is { } asOf ? asOf.DayNumber : (int?)null;
        // On a date every organisation a chain uses is valid then, the one asked about too (others are checked by Usable).
        if (day is { } d && !g.NodeValid(target, d))
        {
            return results;
        }

        void Walk(int node, int lo, int hi)
        {
            budget.Tick();
            var extended = false;
            foreach (var (edge, controller) in Controllers(g, node, q))
            {
                if (!Usable(g, edge, controller, day, lo, hi, out var nlo, out var nhi) || nodes.Contains(controller))
                {
                    continue;
                }

                if (edges.Count == q.MaxHops)
                {
                    throw new TraversalLimitException($"a control chain is longer than maxHops ({q.MaxHops}); raise maxHops (at most the server's limit) or narrow kinds");
                }

                extended = true;
                nodes.Add(controller);
                edges.Add(edge);
                Walk(controller, nlo, nhi);
                nodes.RemoveAt(nodes.Count - 1);
                edges.RemoveAt(edges.Count - 1);
            }

            if (!extended && edges.Count > 0)
            {
                if (results.Count == MaxChains)
                {
                    throw new TraversalLimitException($"more than {MaxChains} control chains; give asOf or kinds to narrow the question");
                }

                results.Add(new IndexPath([.. Enumerable.Reverse(nodes)], [.. Enumerable.Reverse(edges)], lo, hi));
            }
        }

        Walk(target, GraphIndex.OpenStart, GraphIndex.OpenEnd);
        return [.. results.OrderBy(p => p.Edges.Length).ThenBy(p => string.Join('\u0001', p.Nodes.Select(n => g.Ids[n])), StringComparer.Ordinal)];
    }

    /// <summary>Everything <paramref name="source"/> controls within maxHops, each with its shortest chain; shortest first, then by id.</summary>
    public static List<IndexPath> ControlledBy(GraphIndex g, int source, TraversalQuery q, CancellationToken ct)
    {
        var found = SearchDown(g, source, q, ct, label => Controlled(g, label.Node, q), _ => false,
            node => q.NodeKinds is not { Count: > 0 } kinds || kinds.Contains(g.Kinds[node]));
        return [.. found
            .GroupBy(p => p.Nodes[^1]).Select(grp => grp.First())
            .OrderBy(p => p.Edges.Length).ThenBy(p => g.Ids[p.Nodes[^1]], StringComparer.Ordinal)
            .Take(q.First)];
    }

    /// <summary>
    /// Paths from a public body down oversight and commissioning (to the provider), through operation (to the
    /// provider's operator), contracts (to the supplier) and, when asked, one payment (a PAID pair with money in the
    /// window, to the supplier) to the first private organisation, then up its controlling owners to the ultimate
    /// owner. Shortest first, or by money (<see cref="PathOrder.Money"/>).
    /// </summary>
    public static List<IndexPath> PrivatisationPaths(GraphIndex g, int source, TraversalQuery q, CancellationToken ct)
    {
        var day = q.AsOf?.DayNumber;
        var budget = new Budget(ct);
        bool IsPrivate(int node) => g.Sectors[node] == Sector.Private;
        var window = Window(q);
        var prefixes = SearchDown(g, source, q, ct, label => Downstream(g, label, q, window), IsPrivate, IsPrivate);
        var results = new List<IndexPath>();
        foreach (var prefix in prefixes)
        {
            var nodes = prefix.Nodes.ToList();
            var edges = prefix.Edges.ToList();

            void Up(int node, int lo, int hi)
            {
                budget.Tick();
                var extended = false;
                foreach (var edge in g.OutEdges.AsSpan(g.OutStart[node], g.OutStart[node + 1] - g.OutStart[node]))
                {
                    var owner = g.EdgeTo[edge];
                    if (g.EdgeType[edge] != RelationshipType.OwnedBy || InfluenceOnly(g, edge) || nodes.Contains(owner) || edges.Count == q.MaxHops ||
                        !Usable(g, edge, owner, day, lo, hi, out var nlo, out var nhi))
                    {
                        continue;
                    }

                    extended = true;
                    nodes.Add(owner);
                    edges.Add(edge);
                    Up(owner, nlo, nhi);
                    nodes.RemoveAt(nodes.Count - 1);
                    edges.RemoveAt(edges.Count - 1);
                }

                if (!extended && !HasOwner(g, node, day, lo, hi))
                {
                    results.Add(new IndexPath([.. nodes], [.. edges], lo, hi, prefix.Nodes.Length - 1));
                }
            }

            Up(prefix.Nodes[^1], prefix.Start, prefix.End);
        }

        var money = q.Order == PathOrder.Money ? results.Select(p => Money(g, p, q)).ToArray() : null;
        return [.. Enumerable.Range(0, results.Count)
            .OrderByDescending(i => money?[i].Paid ?? 0).ThenByDescending(i => money?[i].Award ?? 0)
            .ThenBy(i => results[i].Edges.Length).ThenBy(i => string.Join('\u0001', results[i].Nodes.Select(n => g.Ids[n])), StringComparer.Ordinal)
            .Take(q.First)
            .Select(i => results[i])];
    }

    /// <summary>The window of <see cref="TraversalQuery.PaidFrom"/> and <see cref="TraversalQuery.PaidTo"/> as day numbers.</summary>
    public static (int From, int To) Window(TraversalQuery q) => (GraphIndex.Day(q.PaidFrom), GraphIndex.EndDay(q.PaidTo));

    /// <summary>
    /// The amount of a step in pence: for a PAID pair the money of its months in the query's window, for an AWARDED_TO
    /// relationship its value in GBP; null for any other step.
    /// </summary>
    public static (long Pence, AmountKind Kind)? StepAmount(GraphIndex g, int edge, TraversalQuery q)
    {
        if (g.IsPaidPair(edge))
        {
            var (from, to) = Window(q);
            return (g.PaidIn(edge, from, to).Pence, AmountKind.Paid);
        }

        return g.AwardPence.TryGetValue(edge, out var award) ? (award, AmountKind.AwardValue) : null;
    }

    /// <summary>A path's money in pence: its PAID step's (a path has at most one), and the largest award value on it.</summary>
    public static (long? Paid, long? Award) Money(GraphIndex g, IndexPath path, TraversalQuery q)
    {
        var (paid, award) = ((long?)null, (long?)null);
        foreach (var edge in path.Edges)
        {
            switch (StepAmount(g, edge, q))
            {
                case ({ } pence, AmountKind.Paid):
                    paid = (paid ?? 0) + pence;
                    break;
                case ({ } pence, AmountKind.AwardValue):
                    award = Math.Max(award ?? long.MinValue, pence);
                    break;
            }
        }

        return (paid, award);
    }

    /// <summary>
    /// The <see cref="TraversalQuery.First"/> shortest simple paths between two nodes over any relationships
    /// (or those of <see cref="TraversalQuery.Types"/>), ignoring direction. A bidirectional breadth-first search
    /// finds the distance and the shortest paths through the meeting layer; longer paths, when more are asked
    /// for, come from a depth-first search pruned by the distance to the target.
    /// </summary>
    public static List<IndexPath> Connections(GraphIndex g, int source, int target, TraversalQuery q, CancellationToken ct)
    {
        var search = new ConnectionSearch(g, q, ct);
        return search.Run(source, target);
    }

    /// <summary>Predecessors (walking SUCCEEDED_BY backwards) and successors, with the date of each step and its depth.</summary>
    public static (List<(int Node, int Day, int Depth)> Predecessors, List<(int Node, int Day, int Depth)> Successors) Lineage(GraphIndex g, int node, CancellationToken ct)
    {
        List<(int, int, int)> Walk(bool forward)
        {
            var budget = new Budget(ct);
            var seen = new HashSet<int> { node };
            var result = new List<(int, int, int)>();
            var frontier = new List<int> { node };
            for (var depth = 1; frontier.Count > 0; depth++)
            {
                var next = new List<int>();
                foreach (var current in frontier)
                {
                    var (start, list) = forward ? (g.OutStart, g.OutEdges) : (g.InStart, g.InEdges);
                    foreach (var edge in list.AsSpan(start[current], start[current + 1] - start[current]))
                    {
                        budget.Tick();
                        var other = forward ? g.EdgeTo[edge] : g.EdgeFrom[edge];
                        if (g.EdgeType[edge] == RelationshipType.SucceededBy && seen.Add(other))
                        {
                            result.Add((other, g.EdgeStart[edge], depth));
                            next.Add(other);
                        }
                    }
                }

                frontier = next;
            }

            return [.. result.OrderBy(r => r.Item3).ThenBy(r => r.Item2).ThenBy(r => g.Ids[r.Item1], StringComparer.Ordinal)];
        }

        return (Walk(forward: false), Walk(forward: true));
    }

    /// <summary>
    /// Organisations within a node on a date: those transitively PART_OF it, and those one MEMBER_OF or
    /// COMMISSIONED_BY step from any of them (GP practices, providers, partner councils). The whole graph when
    /// <paramref name="within"/> is null. Per ICS among them (or the node itself), the providers it or its CCGs commission.
    /// </summary>
    public static GraphStats Stats(GraphIndex g, int? within, DateOnly? asOf, CancellationToken ct)
    {
        var budget = new Budget(ct);
        var day = asOf?.DayNumber;
        bool NodeOk(int n) => day is not { } d || g.NodeValid(n, d);
        bool EdgeOk(int e) => day is not { } d || g.EdgeValid(e, d);
        IEnumerable<int> Into(int node, params RelationshipType[] types)
        {
            for (var i = g.InStart[node]; i < g.InStart[node + 1]; i++)
            {
                var edge = g.InEdges[i];
                if (types.Contains(g.EdgeType[edge]) && EdgeOk(edge) && NodeOk(g.EdgeFrom[edge]))
                {
                    yield return g.EdgeFrom[edge];
                }
            }
        }

        HashSet<int> members;
        if (within is { } root)
        {
            var structure = new HashSet<int> { root };
            var queue = new Queue<int>([root]);
            while (queue.TryDequeue(out var node))
            {
                budget.Tick();
                foreach (var child in Into(node, RelationshipType.PartOf).Where(structure.Add))
                {
                    queue.Enqueue(child);
                }
            }

            members = [.. structure];
            foreach (var node in structure)
            {
                members.UnionWith(Into(node, RelationshipType.MemberOf, RelationshipType.CommissionedBy));
            }

            members.Remove(root);
        }
        else
        {
            members = [.. Enumerable.Range(0, g.NodeCount).Where(NodeOk)];
        }

        var byKind = members.GroupBy(n => g.Kinds[n]).ToDictionary(grp => grp.Key, grp => grp.Count());
        var systems = members.Where(n => g.Kinds[n] == OrgKind.Ics).ToList();
        if (within is { } w && g.Kinds[w] == OrgKind.Ics)
        {
            systems.Add(w);
        }

        var commissioning = new List<IcsCommissioning>();
        foreach (var ics in systems.OrderBy(n => g.Ids[n], StringComparer.Ordinal))
        {
            var commissioners = Into(ics, RelationshipType.PartOf).Where(n => g.Kinds[n] == OrgKind.Ccg).Append(ics).ToHashSet();
            var providers = commissioners.SelectMany(c => Into(c, RelationshipType.CommissionedBy)).ToHashSet();
            var operatedByPrivate = providers.Count(p => g.Sectors[p] != Sector.Private && Enumerable.Range(g.OutStart[p], g.OutStart[p + 1] - g.OutStart[p])
                .Select(i => g.OutEdges[i])
                .Any(e => g.EdgeType[e] == RelationshipType.OperatedBy && EdgeOk(e) && g.Sectors[g.EdgeTo[e]] == Sector.Private));
            commissioning.Add(new IcsCommissioning(g.Ids[ics], providers.Count, providers.GroupBy(p => g.Sectors[p]).ToDictionary(grp => grp.Key, grp => grp.Count()), operatedByPrivate));
        }

        return new GraphStats(members.Count, byKind, commissioning);
    }

    /// <summary>Control edges into <paramref name="node"/> from its controllers: (edge, controller).</summary>
    private static IEnumerable<(int Edge, int Other)> Controllers(GraphIndex g, int node, TraversalQuery q)
    {
        for (var i = g.OutStart[node]; i < g.OutStart[node + 1]; i++)
        {
            var edge = g.OutEdges[i];
            if (g.EdgeType[edge] is not (RelationshipType.AwardedTo or RelationshipType.BidFor) && Allowed(g, edge, q, includeBids: false))
            {
                yield return (edge, g.EdgeTo[edge]);
            }
        }

        for (var i = g.InStart[node]; i < g.InStart[node + 1]; i++)
        {
            var edge = g.InEdges[i];
            if (g.EdgeType[edge] is RelationshipType.AwardedTo && Allowed(g, edge, q, includeBids: false))
            {
                yield return (edge, g.EdgeFrom[edge]);
            }
        }
    }

    /// <summary>Control edges from <paramref name="node"/> to what it controls.</summary>
    private static IEnumerable<Step> Controlled(GraphIndex g, int node, TraversalQuery q)
    {
        for (var i = g.InStart[node]; i < g.InStart[node + 1]; i++)
        {
            var edge = g.InEdges[i];
            if (g.EdgeType[edge] is not (RelationshipType.AwardedTo or RelationshipType.BidFor) && Allowed(g, edge, q, includeBids: false))
            {
                yield return new Step(edge, g.EdgeFrom[edge]);
            }
        }

        for (var i = g.OutStart[node]; i < g.OutStart[node + 1]; i++)
        {
            var edge = g.OutEdges[i];
            if (g.EdgeType[edge] is RelationshipType.AwardedTo && Allowed(g, edge, q, includeBids: false))
            {
                yield return new Step(edge, g.EdgeTo[edge]);
            }
        }
    }

    /// <summary>
    /// The steps of a privatisation path's first part: oversight down to the overseen, commissioning down to the
    /// provider, operation up to the operator, a contract to its supplier (and to a bidder when asked), and, when
    /// payments are asked for and the path has none yet, a payment to a supplier paid in the window. After a payment
    /// only operation follows (a paid GP practice to the company that runs it): what the payee oversees, commissions or
    /// pays in turn is not the money it was paid, and following it would lead from any payment to NHS England to everything.
    /// </summary>
    private static IEnumerable<Step> Downstream(GraphIndex g, Label label, TraversalQuery q, (int From, int To) window)
    {
        var node = label.Node;
        var paid = label.Paid is not null;
        for (var i = g.InStart[node]; i < g.InStart[node + 1] && !paid; i++)
        {
            var edge = g.InEdges[i];
            if (g.EdgeType[edge] is RelationshipType.PartOf or RelationshipType.AccountableTo or RelationshipType.CommissionedBy && ControlKindOf(g, edge) is not null)
            {
                yield return new Step(edge, g.EdgeFrom[edge]);
            }
        }

        for (var i = g.OutStart[node]; i < g.OutStart[node + 1]; i++)
        {
            var edge = g.OutEdges[i];
            if (g.EdgeType[edge] == RelationshipType.OperatedBy ||
                (!paid && (g.EdgeType[edge] == RelationshipType.AwardedTo || (q.IncludeBids && g.EdgeType[edge] == RelationshipType.BidFor))))
            {
                yield return new Step(edge, g.EdgeTo[edge]);
            }
        }

        if (q.IncludePayments && !paid)
        {
            var (start, end) = g.PaidPairsFrom(node);
            for (var i = start; i < end; i++)
            {
                var edge = g.PaidOutEdges[i];
                var months = g.PaidIn(edge, window.From, window.To);
                if (months.Any)
                {
                    yield return new Step(edge, g.EdgeTo[edge], months);
                }
            }
        }
    }

    private static bool Allowed(GraphIndex g, int edge, TraversalQuery q, bool includeBids) =>
        ControlKindOf(g, edge, includeBids) is { } kind && (q.Kinds is not { Count: > 0 } kinds || kinds.Contains(kind));

    private static bool HasOwner(GraphIndex g, int node, int? day, int lo, int hi)
    {
        for (var i = g.OutStart[node]; i < g.OutStart[node + 1]; i++)
        {
            var edge = g.OutEdges[i];
            if (g.EdgeType[edge] == RelationshipType.OwnedBy && !InfluenceOnly(g, edge) && Usable(g, edge, g.EdgeTo[edge], day, lo, hi, out _, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a step over <paramref name="edge"/> to <paramref name="next"/> may extend a path whose steps share
    /// [lo, hi]: on a date, edge and node must be valid then; otherwise the edge's period must overlap.
    /// </summary>
    private static bool Usable(GraphIndex g, int edge, int next, int? day, int lo, int hi, out int newLo, out int newHi)
    {
        newLo = Math.Max(lo, g.EdgeStart[edge]);
        newHi = Math.Min(hi, g.EdgeEnd[edge]);
        return day is { } d ? g.EdgeValid(edge, d) && g.NodeValid(next, d) : newLo <= newHi;
    }

    /// <summary>
    /// Whether <paramref name="step"/> may extend a path whose steps share [lo, hi]. A payment has no validity of its own
    /// on a date (its months are those of the query's window): on a date only the supplier must be valid then, and the
    /// path's period stays that of its other steps; without a date the months it counts must overlap the path's period.
    /// </summary>
    private static bool Usable(GraphIndex g, Step step, int? day, int lo, int hi, out int newLo, out int newHi)
    {
        if (step.Paid is not { } paid)
        {
            return Usable(g, step.Edge, step.Other, day, lo, hi, out newLo, out newHi);
        }

        if (day is { } d)
        {
            (newLo, newHi) = (lo, hi);
            return g.NodeValid(step.Other, d);
        }

        (newLo, newHi) = (Math.Max(lo, paid.Start), Math.Min(hi, paid.End));
        return newLo <= newHi;
    }

    /// <summary>
    /// Breadth-first search from <paramref name="source"/> over <paramref name="steps"/>, keeping for each node
    /// the first path for each period not already covered (so a node reached only in an earlier era is still
    /// reached in a later one); <paramref name="stop"/> ends a path at a node, <paramref name="keep"/> says which paths to return.
    /// Paths with a payment are kept apart from those without (they can take no other), and one covers another only
    /// if it carries at least as much money.
    /// </summary>
    private static List<IndexPath> SearchDown(GraphIndex g, int source, TraversalQuery q, CancellationToken ct,
        Func<Label, IEnumerable<Step>> steps, Func<int, bool> stop, Func<int, bool> keep)
    {
        var budget = new Budget(ct);
        var day = q.AsOf?.DayNumber;
        // On a date every organisation a path uses is valid then, its first one too (others are checked by Usable).
        if (day is { } d && !g.NodeValid(source, d))
        {
            return [];
        }

        var labels = new Dictionary<(int Node, bool Paid), List<(int Lo, int Hi, long Pence)>> { [(source, false)] = [(GraphIndex.OpenStart, GraphIndex.OpenEnd, 0)] };
        var found = new List<IndexPath>();
        var frontier = new List<Label> { new(source, -1, null, GraphIndex.OpenStart, GraphIndex.OpenEnd, 0, null) };
        while (frontier.Count > 0)
        {
            var next = new List<Label>();
            foreach (var label in frontier)
            {
                if (label.Depth == q.MaxHops || (label.Depth > 0 && stop(label.Node)))
                {
                    continue;
                }

                foreach (var step in steps(label))
                {
                    budget.Tick();
                    var other = step.Other;
                    if (!Usable(g, step, day, label.Lo, label.Hi, out var lo, out var hi) || label.Contains(other))
                    {
                        continue;
                    }

                    var paid = step.Paid?.Pence ?? label.Paid;
                    if (!labels.TryGetValue((other, paid is not null), out var seen))
                    {
                        labels[(other, paid is not null)] = seen = [];
                    }

                    // A node where paths stop (a private provider) keeps every route to it; others the first per period.
                    var pence = paid ?? 0;
                    if (!stop(other) && (seen.Count >= LabelsPerNode || seen.Any(s => s.Lo <= lo && hi <= s.Hi && s.Pence >= pence)))
                    {
                        continue;
                    }

                    seen.Add((lo, hi, pence));
                    var child = new Label(other, step.Edge, label, lo, hi, label.Depth + 1, paid);
                    if (keep(other))
                    {
                        found.Add(child.ToPath());
                    }

                    next.Add(child);
                }
            }

            frontier = next;
        }

        return found;
    }

    /// <summary>A step a search may take: over relationship index <paramref name="Edge"/> to <paramref name="Other"/>; a payment carries its window's money.</summary>
    private readonly record struct Step(int Edge, int Other, GraphIndex.PaidWindow? Paid = null);

    /// <summary>A path of a breadth-first search, as its last step and parent; <paramref name="Paid"/> is the pence of its payment, if it has one.</summary>
    private sealed record Label(int Node, int Edge, Label? Parent, int Lo, int Hi, int Depth, long? Paid)
    {
        public bool Contains(int node)
        {
            for (var l = this; l is not null; l = l.Parent)
            {
                if (l.Node == node)
                {
                    return true;
                }
            }

            return false;
        }

        public IndexPath ToPath()
        {
            var nodes = new int[Depth + 1];
            var edges = new int[Depth];
            var l = this;
            for (var i = Depth; i >= 0; i--, l = l!.Parent)
            {
                nodes[i] = l!.Node;
                if (i > 0)
                {
                    edges[i - 1] = l.Edge;
                }
            }

            return new IndexPath(nodes, edges, Lo, Hi);
        }
    }

    /// <summary>Polls the cancellation token every few thousand steps.</summary>
    internal struct Budget(CancellationToken ct)
    {
        private int _ticks;

        public void Tick()
        {
            if ((++_ticks & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
    }
}
