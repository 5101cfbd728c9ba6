using System.Text.Json.Nodes;
using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// Turns payment lines into graph facts once every file is read: each supplier spelling (of a payment line, or of an
/// award supplier the notice gives no identifier for) is matched to a node
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

    public static GraphBatch Resolve(GraphBatch batch, MoneyFacts money, StoredOrganisations stored, ImportReport report)
    {
        if (money.Payments.Count == 0 && money.AwardSuppliers.Count == 0)
        {
            return batch;
        }

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string KeyOf(string supplier) => keys.TryGetValue(supplier, out var k) ? k : keys[supplier] = SupplierNames.Key(supplier);
        // Award suppliers without an identifier are matched with the spend suppliers, by the same rules.
        var suppliers = money.Payments.Select(p => (Supplier: p.Supplier!, p.SourceId, Line: 1))
            .Concat(money.AwardSuppliers.Select(a => (a.Supplier, a.SourceId, Line: 0)))
            .GroupBy(n => KeyOf(n.Supplier), StringComparer.Ordinal).ToList();

        // Evidence earlier imports brought still ties a name to its company; this import's evidence comes first.
        var evidence = stored.Evidence.Where(e => !money.Disputed(e.Key)).ToDictionary(StringComparer.Ordinal);
        foreach (var (key, company) in money.Companies)
        {
            evidence[key] = company;
        }

        // The organisations names are matched against: the import's, the store's, and the companies the evidence names
        // (so the answer is the same whether those came with this import or an earlier one). Supplier nodes (unresolved
        // names, the withheld pool) are what matching failed to identify, not organisations to match.
        var nodes = batch.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var newNodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var node in stored.Nodes)
        {
            nodes.TryAdd(node.Id, node);
        }

        foreach (var company in suppliers.Select(s => evidence.GetValueOrDefault(s.Key)).OfType<KnownCompany>())
        {
            var id = CompanyNumbers.NodeId(company.Number);
            if (!nodes.ContainsKey(id))
            {
                nodes[id] = newNodes[id] = CompanyNode(company);
            }
        }

        var organisations = nodes.Values.Where(n => !n.Id.StartsWith(SupplierPrefix, StringComparison.Ordinal)).ToList();
        var byName = NameIndex(organisations, batch.NodeFacts);
        var candidates = new CandidateIndex(organisations);
        var matches = new List<SupplierMatch>();
        var target = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var group in suppliers)
        {
            var key = group.Key;
            var spelling = group.GroupBy(n => n.Supplier).MaxBy(g => g.Count())!.Key;
            var sources = Sorted(group.Select(n => n.SourceId));
            var match = Match(key, spelling, group.Sum(n => n.Line), evidence, nodes, byName, candidates);
            target[key] = match.NodeId;
            matches.Add(match);
            if (nodes.ContainsKey(match.NodeId) || newNodes.ContainsKey(match.NodeId))
            {
                continue;
            }

            // Left: the withheld pool or a supplier node of its own (a company number's node was made above).
            newNodes[match.NodeId] = match.Method switch
            {
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
        var awards = money.AwardSuppliers.Select(a => a.Award with { To = target[KeyOf(a.Supplier)] }).ToList();
        money.AwardSuppliers.Clear();

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
            Relationships = [.. batch.Relationships, .. awards, .. PaidRelationships(lines)],
            Payments = lines,
            SupplierMatches = matches,
            CompanyEvidence = money.Companies,
        };
    }

    private static SupplierMatch Match(string key, string spelling, int lines, Dictionary<string, KnownCompany> evidence,
        Dictionary<string, Node> nodes, Dictionary<string, List<string>> byName, CandidateIndex candidates)
    {
        if (evidence.TryGetValue(key, out var company))
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
    private static Dictionary<string, List<string>> NameIndex(IReadOnlyList<Node> organisations, IReadOnlyList<(string NodeId, NodeFactKind Kind, DatedValue Value)> facts)
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

        foreach (var node in organisations)
        {
            Add(node.Name, node.Id);
            foreach (var name in node.Names)
            {
                Add(name.Value, node.Id);
            }
        }

        foreach (var (id, kind, value) in facts.Where(f => f.Kind == NodeFactKind.Name))
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
    internal static IEnumerable<Relationship> PaidRelationships(IEnumerable<PaymentLine> lines) =>
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
