using OrgGraph.Model;

namespace OrgGraph.Traversal;

/// <summary>
/// k shortest simple paths between two nodes, ignoring direction. A bidirectional breadth-first search over
/// the index's arrays finds the distance d; the shortest paths are read off the two search balls (distance from
/// the source rising, then distance to the target falling, so each is found once). When more paths are asked
/// for, paths of length d+1, d+2, … come from a depth-first search pruned by the exact distance to the target
/// (the target's ball grown as far as the length needs). Scratch arrays are per thread and reused with
/// generation stamps, so a query allocates only its answer.
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
            _s.OnPath[source] = _s.Generation;
            Longer(source, 0, length, GraphIndex.OpenStart, GraphIndex.OpenEnd);
        }

        return _results;
    }

    private int _sDepth;

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

            // Unknown distance means farther than the target's ball, which covers what this length can use.
            if (s.OnPath[other] == gen || s.StampT[other] != gen || position + 1 + s.DistT[other] > length ||
                (other == _target && position + 1 != length) || !Overlaps(edge, lo, hi, out var nlo, out var nhi))
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
        while (_depthT < depth && _frontierT.Count > 0)
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

        public void NextGeneration()
        {
            if (++Generation == int.MaxValue)
            {
                Array.Clear(StampS);
                Array.Clear(StampT);
                Array.Clear(OnPath);
                Generation = 1;
            }
        }
    }
}
