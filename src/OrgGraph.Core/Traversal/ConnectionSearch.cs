using OrgGraph.Model;

namespace OrgGraph.Traversal;

/// <summary>
/// k shortest simple paths between two nodes, ignoring direction. A bidirectional breadth-first search over
/// the index's arrays finds the distance d; the shortest paths are read off the two search balls (distance from
/// the source rising, then distance to the target falling, so each is found once). When more paths are asked
/// for, paths of length d+1, d+2, … come from a depth-first search pruned by the exact distance to the target
/// (the target's ball grown as far as the length needs, or until its frontier is large: beyond it the ball's
/// depth bounds the distance from below) and, without a date, by the days on which the target can still be
/// reached (<see cref="GrowPeriods"/>). Scratch arrays are per thread and reused with generation stamps, so a
/// query allocates little beyond its answer.
/// </summary>
internal sealed class ConnectionSearch
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly GraphIndex _g;
    private readonly TraversalQuery _q;
    private readonly int? _day;
    private readonly int _typeMask;
    private readonly Scratch _s;
    private readonly List<IndexPath> _results = [];
    private readonly List<int> _pathNodes = [];
    private readonly List<int> _pathEdges = [];
    private Traversals.Budget _budget;
    private List<int> _frontierT = [];
    private int _depthT;
    private int _target;

    public ConnectionSearch(GraphIndex g, TraversalQuery q, CancellationToken ct)
    {
        _g = g;
        _q = q;
        _day = q.AsOf?.DayNumber;
        _typeMask = q.Types is { Count: > 0 } types ? types.Aggregate(0, (m, t) => m | (1 << (int)t)) : -1;
        _budget = new Traversals.Budget(ct);
        _s = t_scratch is { } s && s.DistS.Length >= g.NodeCount ? s : t_scratch = new Scratch(g.NodeCount);
        _s.NextGeneration();
    }

    public List<IndexPath> Run(int source, int target)
    {
        _target = target;
        if (_day is { } day && !_g.NodeValid(source, day))
        {
            // Every organisation a path uses must be valid on the date, its first one too (the others are checked as they are reached).
            return _results;
        }

        var d = Distance(source, target);
        if (d is not { } distance)
        {
            return _results;
        }

        var switchAt = Math.Min(_sDepth, distance);
        _pathNodes.Add(source);
        Shortest(source, 0, distance, switchAt, GraphIndex.OpenStart, GraphIndex.OpenEnd);
        for (var length = distance + 1; length <= _q.MaxHops && _results.Count < _q.First; length++)
        {
            GrowTarget(length - 1);
            GrowPeriods(Math.Min(length - 1, PeriodDepth));
            _s.OnPath[source] = _s.Generation;
            Longer(source, 0, length, GraphIndex.OpenStart, GraphIndex.OpenEnd);
        }

        return _results;
    }

    private int _sDepth;
    /// <summary>
    /// The target's ball stops growing once its frontier is this large: on a big graph the last layers before
    /// maxHops are most of the graph, while the depth-first search only needs exact distances near the target
    /// (outside the ball, the depth of the ball plus one is a lower bound).
    /// </summary>
    private const int MaxTargetFrontier = 1_024;

    private const int Unreachable = int.MaxValue / 2;

    /// <summary>How many steps from the target <see cref="GrowPeriods"/> goes; beyond, only the target's own periods prune.</summary>
    private const int PeriodDepth = 4;

    private List<int>? _periodDelta;
    private int _periodRounds;
    private List<(int Lo, int Hi)>? _targetPeriods;

    /// <summary>Bidirectional BFS, one whole layer at a time from the smaller side; null beyond maxHops.</summary>
    private int? Distance(int source, int target)
    {
        var s = _s;
        var gen = s.Generation;
        s.StampS[source] = gen;
        s.DistS[source] = 0;
        s.StampT[target] = gen;
        s.DistT[target] = 0;
        var frontierS = new List<int> { source };
        _frontierT = [target];
        int? best = null;
        while (best is null && frontierS.Count > 0 && _frontierT.Count > 0 && _sDepth + _depthT < _q.MaxHops)
        {
            var fromSource = frontierS.Count <= _frontierT.Count;
            var (frontier, stamp, dist, otherStamp, otherDist, depth) = fromSource
                ? (frontierS, s.StampS, s.DistS, s.StampT, s.DistT, _sDepth)
                : (_frontierT, s.StampT, s.DistT, s.StampS, s.DistS, _depthT);
            var next = new List<int>();
            foreach (var node in frontier)
            {
                foreach (var (_, other) in Neighbours(node))
                {
                    if (stamp[other] == gen)
                    {
                        continue;
                    }

                    stamp[other] = gen;
                    dist[other] = depth + 1;
                    next.Add(other);
                    if (otherStamp[other] == gen && (best is null || depth + 1 + otherDist[other] < best))
                    {
                        best = depth + 1 + otherDist[other];
                    }
                }
            }

            if (fromSource)
            {
                frontierS = next;
                _sDepth++;
            }
            else
            {
                _frontierT = next;
                _depthT++;
            }
        }

        return best <= _q.MaxHops ? best : null;
    }

    /// <summary>Shortest paths: distance from the source rises to the switch layer, then distance to the target falls.</summary>
    private void Shortest(int node, int position, int length, int switchAt, int lo, int hi)
    {
        if (position == length)
        {
            Emit(lo, hi);
            return;
        }

        var s = _s;
        var gen = s.Generation;
        foreach (var (edge, other) in Neighbours(node))
        {
            if (_results.Count >= _q.First)
            {
                return;
            }

            var next = position + 1;
            var onLayer = next <= switchAt
                ? s.StampS[other] == gen && s.DistS[other] == next && (next < switchAt || (s.StampT[other] == gen && s.DistT[other] == length - next))
                : s.StampT[other] == gen && s.DistT[other] == length - next;
            if (onLayer && Overlaps(edge, lo, hi, out var nlo, out var nhi))
            {
                Step(edge, other);
                Shortest(other, next, length, switchAt, nlo, nhi);
                Unstep();
            }
        }
    }

    /// <summary>Simple paths of exactly <paramref name="length"/> steps, pruned by the exact distance to the target.</summary>
    private void Longer(int node, int position, int length, int lo, int hi)
    {
        if (position == length)
        {
            if (node == _target)
            {
                Emit(lo, hi);
            }

            return;
        }

        var s = _s;
        var gen = s.Generation;
        foreach (var (edge, other) in Neighbours(node))
        {
            if (_results.Count >= _q.First)
            {
                return;
            }

            // Outside the target's ball the distance is more than its depth, or infinite once the ball is the whole component.
            var toTarget = s.StampT[other] == gen ? s.DistT[other] : _frontierT.Count > 0 ? _depthT + 1 : Unreachable;
            if (s.OnPath[other] == gen || position + 1 + toTarget > length ||
                (other == _target && position + 1 != length) || !Overlaps(edge, lo, hi, out var nlo, out var nhi) || !MayReachTarget(other, length - position - 1, nlo, nhi))
            {
                continue;
            }

            s.OnPath[other] = gen;
            Step(edge, other);
            Longer(other, position + 1, length, nlo, nhi);
            Unstep();
            s.OnPath[other] = 0;
        }
    }

    /// <summary>Continues the target side's BFS until every node within <paramref name="depth"/> has its distance.</summary>
    private void GrowTarget(int depth)
    {
        var s = _s;
        var gen = s.Generation;
        while (_depthT < depth && _frontierT.Count is > 0 and <= MaxTargetFrontier)
        {
            var next = new List<int>();
            foreach (var node in _frontierT)
            {
                foreach (var (_, other) in Neighbours(node))
                {
                    if (s.StampT[other] != gen)
                    {
                        s.StampT[other] = gen;
                        s.DistT[other] = _depthT + 1;
                        next.Add(other);
                    }
                }
            }

            _frontierT = next;
            _depthT++;
        }
    }

    /// <summary>
    /// Without a date, a path must also keep a common period, which the distance bound ignores: a prefix can be a
    /// few steps from the target and still have no way to finish, and the depth-first search then tries every
    /// simple path up to maxHops (seconds to minutes on the seed). This grows, one round per step up to
    /// <paramref name="depth"/>, the days on which each node reaches the target by a walk of at most that many steps
    /// whose relationships are all valid that day (unions of periods, from the target outwards); beyond that depth
    /// the target's own relationships' periods stand in (every path ends with one of them). <see cref="Longer"/>
    /// drops a prefix whose shared period has none of those days. Every day a completing simple path could share is
    /// among them, so only prefixes that cannot complete are dropped and the answer is the same. At most
    /// <see cref="Scratch.PeriodSlots"/> periods are kept per node, then they are widened to one (more days: still safe).
    /// </summary>
    private void GrowPeriods(int depth)
    {
        if (_day is not null)
        {
            return;
        }

        var s = _s;
        if (_periodDelta is null)
        {
            s.EnsurePeriods();
            AddPeriod(_target, GraphIndex.OpenStart, GraphIndex.OpenEnd);
            _periodDelta = [_target];
            var periods = new List<(int Lo, int Hi)>();
            foreach (var (edge, _) in Neighbours(_target))
            {
                periods.Add((_g.EdgeStart[edge], _g.EdgeEnd[edge]));
            }

            periods.Sort();
            _targetPeriods = [];
            foreach (var (lo, hi) in periods)
            {
                if (_targetPeriods.Count > 0 && lo <= _targetPeriods[^1].Hi)
                {
                    _targetPeriods[^1] = (_targetPeriods[^1].Lo, Math.Max(hi, _targetPeriods[^1].Hi));
                }
                else
                {
                    _targetPeriods.Add((lo, hi));
                }
            }
        }

        while (_periodRounds < depth && _periodDelta.Count > 0)
        {
            // Each node whose days grew last round passes all of them on once (at most PeriodSlots periods).
            var next = new List<int>();
            var mark = s.NextPeriodMark();
            foreach (var node in _periodDelta)
            {
                var at = node * Scratch.PeriodSlots;
                var count = s.PeriodCount![node];
                foreach (var (edge, other) in Neighbours(node))
                {
                    for (var j = 0; j < count; j++)
                    {
                        if (Overlaps(edge, s.PeriodLo![at + j], s.PeriodHi![at + j], out var nlo, out var nhi) && AddPeriod(other, nlo, nhi) && s.PeriodMarks![other] != mark)
                        {
                            s.PeriodMarks[other] = mark;
                            next.Add(other);
                        }
                    }
                }
            }

            _periodDelta = next;
            // With nothing left to pass on, the days are those of walks of any length: good for every distance.
            _periodRounds = next.Count == 0 ? int.MaxValue : _periodRounds + 1;
        }
    }

    /// <summary>Whether a path at <paramref name="node"/> sharing [lo, hi], with <paramref name="steps"/> to go, may still reach the target.</summary>
    private bool MayReachTarget(int node, int steps, int lo, int hi)
    {
        if (_periodDelta is null)
        {
            return true;
        }

        var s = _s;
        if (steps > _periodRounds)
        {
            // Farther than the periods were grown: the last step is one of the target's relationships.
            foreach (var (l, h) in _targetPeriods!)
            {
                if (l <= hi && lo <= h)
                {
                    return true;
                }
            }

            return false;
        }

        if (s.PeriodStamp![node] != s.Generation)
        {
            return false;
        }

        var at = node * Scratch.PeriodSlots;
        for (var j = 0; j < s.PeriodCount![node]; j++)
        {
            if (s.PeriodLo![at + j] <= hi && lo <= s.PeriodHi![at + j])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds [lo, hi] to a node's reaching days; false when they already covered it.</summary>
    private bool AddPeriod(int node, int lo, int hi)
    {
        var s = _s;
        var (los, his, count) = (s.PeriodLo!, s.PeriodHi!, s.PeriodCount!);
        var at = node * Scratch.PeriodSlots;
        if (s.PeriodStamp![node] != s.Generation)
        {
            s.PeriodStamp[node] = s.Generation;
            count[node] = 0;
        }

        var kept = 0;
        for (var j = 0; j < count[node]; j++)
        {
            var (l, h) = (los[at + j], his[at + j]);
            if (l <= lo && hi <= h)
            {
                return false;
            }

            if (l <= hi && lo <= h)
            {
                (lo, hi) = (Math.Min(lo, l), Math.Max(hi, h));
            }
            else
            {
                (los[at + kept], his[at + kept]) = (l, h);
                kept++;
            }
        }

        if (kept == Scratch.PeriodSlots)
        {
            for (var j = 0; j < kept; j++)
            {
                (lo, hi) = (Math.Min(lo, los[at + j]), Math.Max(hi, his[at + j]));
            }

            kept = 0;
        }

        (los[at + kept], his[at + kept]) = (lo, hi);
        count[node] = kept + 1;
        return true;
    }

    private void Step(int edge, int node)
    {
        _pathEdges.Add(edge);
        _pathNodes.Add(node);
    }

    private void Unstep()
    {
        _pathEdges.RemoveAt(_pathEdges.Count - 1);
        _pathNodes.RemoveAt(_pathNodes.Count - 1);
    }

    private void Emit(int lo, int hi) => _results.Add(new IndexPath([.. _pathNodes], [.. _pathEdges], lo, hi));

    /// <summary>On a date, every edge used is valid then (checked in <see cref="Neighbours"/>); otherwise the periods must overlap.</summary>
    private bool Overlaps(int edge, int lo, int hi, out int newLo, out int newHi)
    {
        newLo = Math.Max(lo, _g.EdgeStart[edge]);
        newHi = Math.Min(hi, _g.EdgeEnd[edge]);
        return newLo <= newHi;
    }

    /// <summary>Neighbours over usable relationships in either direction, as (edge, other end).</summary>
    private NeighbourEnumerable Neighbours(int node)
    {
        _budget.Tick();
        return new NeighbourEnumerable(this, node);
    }

    private readonly struct NeighbourEnumerable(ConnectionSearch search, int node)
    {
        public NeighbourEnumerator GetEnumerator() => new(search, node);
    }

    private struct NeighbourEnumerator(ConnectionSearch search, int node)
    {
        private readonly GraphIndex _g = search._g;
        private int _i = search._g.OutStart[node] - 1;
        private bool _incoming;

        public (int Edge, int Other) Current { get; private set; }

        public bool MoveNext()
        {
            while (true)
            {
                _i++;
                if (!_incoming && _i >= _g.OutStart[node + 1])
                {
                    _incoming = true;
                    _i = _g.InStart[node];
                }

                if (_incoming && _i >= _g.InStart[node + 1])
                {
                    return false;
                }

                var edge = _incoming ? _g.InEdges[_i] : _g.OutEdges[_i];
                var other = _incoming ? _g.EdgeFrom[edge] : _g.EdgeTo[edge];
                if ((search._typeMask & (1 << (int)_g.EdgeType[edge])) == 0 ||
                    (search._day is { } day && !(_g.EdgeValid(edge, day) && _g.NodeValid(other, day))))
                {
                    continue;
                }

                Current = (edge, other);
                return true;
            }
        }
    }

    private sealed class Scratch(int size)
    {
        public int[] DistS { get; } = new int[size];
        public int[] DistT { get; } = new int[size];
        public int[] StampS { get; } = new int[size];
        public int[] StampT { get; } = new int[size];
        public int[] OnPath { get; } = new int[size];
        public int Generation { get; private set; }

        /// <summary>Periods kept per node by <see cref="GrowPeriods"/>; allocated on the first undated search that needs them.</summary>
        public const int PeriodSlots = 4;
        public int[]? PeriodStamp { get; private set; }
        public int[]? PeriodCount { get; private set; }
        public int[]? PeriodLo { get; private set; }
        public int[]? PeriodHi { get; private set; }

        public int[]? PeriodMarks { get; private set; }
        private int _periodMark;

        /// <summary>A new stamp for <see cref="PeriodMarks"/>: a node is marked once per round.</summary>
        public int NextPeriodMark()
        {
            if (++_periodMark == int.MaxValue)
            {
                Array.Clear(PeriodMarks!);
                _periodMark = 1;
            }

            return _periodMark;
        }

        public void EnsurePeriods()
        {
            if (PeriodStamp is null)
            {
                (PeriodStamp, PeriodCount, PeriodMarks) = (new int[size], new int[size], new int[size]);
                (PeriodLo, PeriodHi) = (new int[size * PeriodSlots], new int[size * PeriodSlots]);
            }
        }

        public void NextGeneration()
        {
            if (++Generation == int.MaxValue)
            {
                Array.Clear(StampS);
                Array.Clear(StampT);
                Array.Clear(OnPath);
                if (PeriodStamp is not null)
                {
                    Array.Clear(PeriodStamp);
                }

                Generation = 1;
            }
        }
    }
}
