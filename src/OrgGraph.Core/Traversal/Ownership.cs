using OrgGraph.Model;

namespace OrgGraph.Traversal;

/// <summary>Ultimate owners through controlling OWNED_BY relationships (DESIGN.md: over 50%, or no share stated).</summary>
public static class Ownership
{
    private const int MaxDepth = 20;

    /// <summary>True when the node has any OWNED_BY relationship at all (most spend suppliers have none).</summary>
    public static bool HasOwner(GraphIndex g, int node)
    {
        for (var i = g.OutStart[node]; i < g.OutStart[node + 1]; i++)
        {
            if (g.EdgeType[g.OutEdges[i]] == RelationshipType.OwnedBy)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The owners at the top of <paramref name="node"/>'s controlling ownership chains on <paramref name="day"/>,
    /// in id order; the node itself when nothing controls it. Where several controlling owners are valid on the day,
    /// the interest that started last is taken as current: a register snapshot leaves an interest open ("still held
    /// when retrieved"), and a later acquisition from another source supersedes it.
    /// </summary>
    public static IReadOnlyList<int> UltimateOwners(GraphIndex g, int node, int day)
    {
        var roots = new SortedSet<int>(Comparer<int>.Create((a, b) => string.CompareOrdinal(g.Ids[a], g.Ids[b])));
        var seen = new HashSet<int>();

        void Up(int current, int depth)
        {
            var extended = false;
            if (depth < MaxDepth)
            {
                var owners = new List<int>();
                for (var i = g.OutStart[current]; i < g.OutStart[current + 1]; i++)
                {
                    var edge = g.OutEdges[i];
                    if (g.EdgeType[edge] == RelationshipType.OwnedBy && !Traversals.InfluenceOnly(g, edge) && g.EdgeValid(edge, day))
                    {
                        owners.Add(edge);
                    }
                }

                var latest = owners.Count == 0 ? 0 : owners.Max(e => g.EdgeStart[e]);
                foreach (var owner in owners.Where(e => g.EdgeStart[e] == latest).Select(e => g.EdgeTo[e]).Distinct())
                {
                    if (seen.Add(owner))
                    {
                        extended = true;
                        Up(owner, depth + 1);
                    }
                }
            }

            if (!extended)
            {
                roots.Add(current);
            }
        }

        seen.Add(node);
        Up(node, 0);
        return [.. roots];
    }
}
