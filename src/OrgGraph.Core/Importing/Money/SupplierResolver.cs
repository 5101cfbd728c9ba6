using System.Text.Json.Nodes;
using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// Turns payment lines into graph facts once every file is read: each supplier spelling is matched to a node
/// (docs/money.md, supplier resolution), and the lines of a body → supplier pair in one calendar month become
/// one PAID relationship holding their total, count, expense types, granularity and source lines.
/// Matching, strongest first: a company number from a reconciliation table; a name that reads as a person's is
/// withheld (DESIGN.md: no person records from spend lines); a normalised name equal to exactly one
/// organisation's; otherwise the supplier stays a node of its own, marked unresolved, with the most similar
/// organisation named as a candidate but never merged.
/// </summary>
internal static class SupplierResolver
{
    public const string WithheldId = "supplier:withheld";
    public const string SupplierPrefix = "supplier:";

    /// <summary>Below this word-set similarity a name is not even offered as a candidate.</summary>
    private const double CandidateThreshold = 0.6;

    public static GraphBatch Resolve(GraphBatch batch, MoneyFacts money, ImportReport report)
    {
        if (money.Payments.Count == 0)
        {
            return batch;
        }

        var nodes = batch.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var byName = NameIndex(batch);
        var candidates = new CandidateIndex(batch.Nodes);
        var newNodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var matches = new List<SupplierMatch>();
        var target = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string KeyOf(string supplier) => keys.TryGetValue(supplier, out var k) ? k : keys[supplier] = SupplierNames.Key(supplier);

        foreach (var group in money.Payments.GroupBy(p => KeyOf(p.Supplier!), StringComparer.Ordinal))
        {
            var key = group.Key;
            var spelling = group.GroupBy(p => p.Supplier!).MaxBy(g => g.Count())!.Key;
            var sources = Sorted(group.Select(p => p.SourceId));
            var match = Match(key, spelling, group.Count(), money, nodes, byName, candidates);
            target[key] = match.NodeId;
            matches.Add(match);
            if (nodes.ContainsKey(match.NodeId) || newNodes.ContainsKey(match.NodeId))
            {
                continue;
            }

            newNodes[match.NodeId] = match.Method switch
            {
                MatchMethod.CompanyNumber => CompanyNode(money.Companies[key]),
                MatchMethod.Withheld => new Node
                {
                    Id = WithheldId,
                    Name = "Payees withheld: individuals and partnerships named after people",
                    Kind = OrgKind.Other,
                    Sector = Sector.Unknown,
                    SourceIds = sources,
                    Properties = new JsonObject { ["resolution"] = "withheld" }.ToJsonString(),
                },
                _ => new Node
                {
                    Id = match.NodeId,
                    Name = spelling,
                    Kind = OrgKind.Other,
                    Sector = Sector.Unknown,
                    SourceIds = sources,
                    Properties = new JsonObject
                    {
                        ["resolution"] = "unresolved",
                        ["supplierKey"] = key,
                        ["candidate"] = match.CandidateId,
                        ["candidateScore"] = match.CandidateId is null ? null : Math.Round(match.Score, 3),
                    }.ToJsonString(),
                },
            };
        }

        var lines = new List<PaymentLine>(money.Payments.Count);
        var unknownBodies = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in money.Payments)
        {
            if (!nodes.ContainsKey(line.BodyId))
            {
                unknownBodies[line.BodyId] = unknownBodies.GetValueOrDefault(line.BodyId) + 1;
                continue;
            }

            var supplierId = target[KeyOf(line.Supplier!)];
            lines.Add(line with { SupplierId = supplierId, Supplier = supplierId == WithheldId ? null : line.Supplier });
        }

        money.Payments.Clear();

        foreach (var (body, count) in unknownBodies)
        {
            report.Note($"spend: no file describes the paying body '{body}'; its {count} payment line(s) are left out");
        }

        foreach (var group in matches.GroupBy(m => m.Method).OrderBy(g => g.Key))
        {
            report.Note($"supplier resolution: {group.Count()} supplier name(s), {group.Sum(m => m.Lines)} line(s) by {EnumNames.ToWire(group.Key)}");
        }

        return batch with
        {
            Nodes = [.. batch.Nodes, .. newNodes.Values],
            Relationships = [.. batch.Relationships, .. PaidRelationships(lines)],
            Payments = lines,
            SupplierMatches = matches,
        };
    }

    private static SupplierMatch Match(string key, string spelling, int lines, MoneyFacts money, Dictionary<string, Node> nodes,
        Dictionary<string, List<string>> byName, CandidateIndex candidates)
    {
        if (money.Companies.TryGetValue(key, out var company))
        {
            return new SupplierMatch
            {
                SupplierKey = key, Example = spelling, NodeId = CompanyNumbers.NodeId(company.Number), Method = MatchMethod.CompanyNumber, Score = 1,
                Evidence = $"{company.SourceId} ({company.File}:{company.Line})", Lines = lines,
            };
        }

        if (SupplierNames.NamesPerson(spelling))
        {
            return new SupplierMatch { SupplierKey = key, NodeId = WithheldId, Method = MatchMethod.Withheld, Score = 0, Lines = lines };
        }

        if (byName.TryGetValue(key, out var named) && named.Count == 1)
        {
            return new SupplierMatch
            {
                SupplierKey = key, Example = spelling, NodeId = named[0], Method = MatchMethod.ExactName, Score = 1,
                Evidence = nodes[named[0]].Name, Lines = lines,
            };
        }

        var (candidate, score) = candidates.Best(key);
        return new SupplierMatch
        {
            SupplierKey = key, Example = spelling, NodeId = SupplierPrefix + SupplierNames.Slug(key),
            Method = candidate is null ? MatchMethod.Unresolved : MatchMethod.SimilarName, Score = candidate is null ? 0 : score,
            CandidateId = candidate, Evidence = candidate is null ? (named is { Count: > 1 } ? $"name shared by {string.Join(", ", named)}" : null) : nodes[candidate].Name,
            Lines = lines,
        };
    }

    /// <summary>Normalised names (current and former) → the organisations that bear them.</summary>
    private static Dictionary<string, List<string>> NameIndex(GraphBatch batch)
    {
        var index = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, string id)
        {
            var key = SupplierNames.Key(name);
            if (!index.TryGetValue(key, out var ids))
            {
                index[key] = ids = [];
            }

            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        foreach (var node in batch.Nodes)
        {
            Add(node.Name, node.Id);
        }

        foreach (var (id, kind, value) in batch.NodeFacts.Where(f => f.Kind == NodeFactKind.Name))
        {
            Add(value.Value, id);
        }

        return index;
    }

    /// <summary>Companies, charities and trusts by the words of their normalised names, for similar-name candidates.</summary>
    private sealed class CandidateIndex
    {
        private readonly List<(string Id, int Words)> _candidates = [];
        private readonly Dictionary<string, List<int>> _byWord = new(StringComparer.Ordinal);

        public CandidateIndex(IEnumerable<Node> nodes)
        {
            foreach (var node in nodes.Where(n => n.Kind is OrgKind.Company or OrgKind.Charity or OrgKind.Trust))
            {
                var words = SupplierNames.Key(node.Name).Split(' ').Distinct().ToList();
                foreach (var word in words)
                {
                    if (!_byWord.TryGetValue(word, out var list))
                    {
                        _byWord[word] = list = [];
                    }

                    list.Add(_candidates.Count);
                }

                _candidates.Add((node.Id, words.Count));
            }
        }

        /// <summary>The most similar name (Dice coefficient of word sets) at or above the threshold; ties go to the smaller id.</summary>
        public (string? Id, double Score) Best(string key)
        {
            var words = key.Split(' ').Distinct().ToList();
            var shared = new Dictionary<int, int>();
            foreach (var word in words)
            {
                // A word most names share ("HEALTH") says nothing on its own.
                if (_byWord.TryGetValue(word, out var list) && list.Count <= 200)
                {
                    foreach (var candidate in list)
                    {
                        shared[candidate] = shared.GetValueOrDefault(candidate) + 1;
                    }
                }
            }

            (string? Id, double Score) best = (null, 0);
            foreach (var (candidate, count) in shared)
            {
                var (id, size) = _candidates[candidate];
                var score = 2.0 * count / (words.Count + size);
                if (score > best.Score || (score == best.Score && best.Id is not null && string.CompareOrdinal(id, best.Id) < 0))
                {
                    best = (id, score);
                }
            }

            return best.Score >= CandidateThreshold ? best : (null, 0);
        }
    }

    private static Node CompanyNode(KnownCompany company) => new()
    {
        Id = CompanyNumbers.NodeId(company.Number),
        Name = company.Name,
        Kind = OrgKind.Company,
        // A community interest company is a social enterprise: third sector, not private profit.
        Sector = company.CommunityInterest ? Sector.ThirdSector : Sector.Private,
        SourceIds = [company.SourceId],
        Properties = new JsonObject
        {
            ["companyNumber"] = CompanyNumbers.Normalise(company.Number),
            ["registeredName"] = company.Name,
            ["communityInterestCompany"] = company.CommunityInterest ? true : null,
        }.ToJsonString(),
    };

    /// <summary>One PAID relationship per body, supplier and calendar month.</summary>
    private static IEnumerable<Relationship> PaidRelationships(List<PaymentLine> lines) =>
        lines.GroupBy(l => (l.BodyId, l.SupplierId, l.Date.Year, l.Date.Month)).Select(g =>
        {
            var first = new DateOnly(g.Key.Year, g.Key.Month, 1);
            var properties = new JsonObject
            {
                ["total"] = g.Sum(l => l.AmountPence) / 100m,
                ["count"] = g.Count(),
                ["granularity"] = string.Join(", ", Sorted(g.Select(l => EnumNames.ToWire(l.Granularity)))),
                ["expenseTypes"] = new JsonArray([.. Sorted(g.Select(l => l.ExpenseType).OfType<string>()).Select(t => JsonValue.Create(t))]),
                ["lines"] = string.Join("; ", g.GroupBy(l => l.File).Select(f => $"{f.Key}:{Ranges(f.Select(l => l.Line))}")),
            };
            return new Relationship
            {
                Type = RelationshipType.Paid,
                From = g.Key.BodyId,
                To = g.Key.SupplierId,
                ValidFrom = first,
                ValidTo = first.AddMonths(1).AddDays(-1),
                SourceIds = Sorted(g.Select(l => l.SourceId)),
                Properties = properties.ToJsonString(),
            };
        });

    /// <summary>
    /// The distinct values in ordinal order. Sorted in place rather than with <c>Order(StringComparer.Ordinal)</c>: LINQ's
    /// sorter builds a delegate to a virtual method on every call, a slow path of the runtime that cost over a second across
    /// the seed's 49,000 PAID relationships.
    /// </summary>
    private static List<string> Sorted(IEnumerable<string> values)
    {
        var list = values.Distinct().ToList();
        list.Sort(string.CompareOrdinal);
        return list;
    }

    /// <summary>Line numbers as ranges: 2, 3, 4, 9 → "2-4,9".</summary>
    private static string Ranges(IEnumerable<int> numbers)
    {
        var sorted = numbers.ToList();
        sorted.Sort();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }

        return string.Join(',', parts);
    }
}
