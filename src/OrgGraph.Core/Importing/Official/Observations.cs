using System.Text.Json;
using System.Text.Json.Nodes;
using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>
/// What the official files say, each fact at the date of the file that says it. <see cref="Build"/> turns
/// the snapshots into dated facts with one rule: a fact holds from the first file of its series that shows
/// it until the day before the next file of that series that does not (open if the newest file still shows
/// it), cut at the organisations' ODS close dates. A series is a kind of statement ("the parent of a CCG",
/// "the name of a trust"): every file in it is taken to cover the whole country.
/// </summary>
public sealed class Observations
{
    private const string OnsPlaceholder = "ons:";

    private readonly Dictionary<string, SortedSet<DateOnly>> _seriesDates = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Series, string Key, string Value), Observed> _facts = new();
    private readonly HashSet<string> _singleValued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EntityInfo> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _onsToId = new(StringComparer.Ordinal);
    private readonly List<Relationship> _datedEdges = [];
    private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateOnly, (string SourceId, Dictionary<string, string> Areas)> _areas = [];

    public ImportReport Report { get; } = new();

    /// <summary>Payments and supplier reconciliations, resolved to nodes after every file is read.</summary>
    public Money.MoneyFacts Money { get; } = new();

    /// <summary>Cites a file's source without stating anything else (a file whose facts are not snapshots, e.g. payments).</summary>
    public void Cite(ManifestEntry file) => _sources.TryAdd(file.Source.Id, file.Source);

    /// <summary>All entities seen so far, by id (ODS-keyed where the files give an ODS code).</summary>
    public IReadOnlyDictionary<string, EntityInfo> Entities => _entities;

    /// <summary>
    /// An organisation seen in a file. Kind and sector come from the newest file that names them;
    /// open and close dates (ODS) from the newest file that gives them.
    /// </summary>
    public void Entity(ManifestEntry file, string id, OrgKind kind, Sector sector, DateOnly? opened = null, DateOnly? closed = null, object? properties = null)
    {
        Cite(file);
        if (!_entities.TryGetValue(id, out var entity))
        {
            _entities[id] = entity = new EntityInfo(id);
        }

        entity.Sources.Add(file.Source.Id);
        if (file.Describes >= entity.KindDate)
        {
            (entity.Kind, entity.Sector, entity.KindDate) = (kind, sector, file.Describes);
        }

        if ((opened is not null || closed is not null) && file.Describes >= entity.DatesDate)
        {
            (entity.Opened, entity.Closed, entity.DatesDate) = (opened, closed, file.Describes);
        }

        if (properties is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(properties)!.AsObject())
            {
                entity.SetProperty(key, value, file.Describes);
            }
        }
    }

    /// <summary>The name an entity has in a file of <paramref name="series"/> (e.g. "ccg", "trust").</summary>
    public void Name(ManifestEntry file, string series, string id, string name)
    {
        Observe(file, series + "|name", id, NameKey(name), name, single: true);
        if (_entities.TryGetValue(id, out var entity) && file.Describes >= entity.NameDate)
        {
            (entity.LastName, entity.NameDate) = (name, file.Describes);
        }
    }

    public void Role(ManifestEntry file, string series, string id, string role) =>
        Observe(file, series + "|role", id, role, role, single: true);

    /// <summary>An ONS (or other) code of an entity at the file's date; ONS codes also resolve <see cref="IdForOns"/>.</summary>
    public void Alias(ManifestEntry file, string series, string id, string alias, AliasScheme scheme)
    {
        if (scheme == AliasScheme.Ons && !id.StartsWith(OnsPlaceholder, StringComparison.Ordinal))
        {
            _onsToId[alias] = id;
        }

        Observe(file, $"{series}|alias:{EnumNames.ToWire(scheme)}", id, alias, alias, single: true);
    }

    /// <summary>
    /// A relationship the file shows at its date. In a single-valued series (a CCG's parent) two targets for
    /// one source at one date are reported as a disagreement; both are kept. Where the file states the start
    /// (<c>since</c>, e.g. a practice's join date), the first period starts there.
    /// </summary>
    public void Edge(ManifestEntry file, string series, RelationshipType type, string from, string to, bool single = true, DateOnly? since = null) =>
        Observe(file, $"{series}|{EnumNames.ToWire(type)}", from, to, to, single, since);

    /// <summary>A relationship whose dates the file states outright (e.g. a service period, a merger date).</summary>
    public void DatedEdge(ManifestEntry file, Relationship relationship)
    {
        Cite(file);
        _datedEdges.Add(relationship with { SourceIds = relationship.SourceIds.Count > 0 ? relationship.SourceIds : [file.Source.Id] });
    }

    /// <summary>
    /// The id for an ONS code: the ODS-keyed id if any file pairs the two, else a placeholder resolved when
    /// the graph is built (so file order does not matter), else the ONS code itself.
    /// </summary>
    public string IdForOns(string onsCode) => _onsToId.TryGetValue(onsCode, out var id) ? id : OnsPlaceholder + onsCode;

    /// <summary>Small areas (LSOAs) → the CCG that held each, at the file's date: the evidence for mergers.</summary>
    public Dictionary<string, string> AreaAssignments(ManifestEntry file)
    {
        if (!_areas.TryGetValue(file.Describes, out var areas))
        {
            _areas[file.Describes] = areas = (file.Source.Id, new Dictionary<string, string>(StringComparer.Ordinal));
        }

        return areas.Areas;
    }

    /// <summary>The area assignments by date, oldest first, with the source of each.</summary>
    public IEnumerable<(DateOnly Date, string SourceId, IReadOnlyDictionary<string, string> Areas)> AreaSnapshots() =>
        _areas.Select(p => (p.Key, p.Value.SourceId, (IReadOnlyDictionary<string, string>)p.Value.Areas));

    /// <summary>Raw observations of an edge series: (from, to, date) as the files gave them.</summary>
    public IEnumerable<(string From, string To, DateOnly Date, IReadOnlySet<string> Sources)> EdgesSeen(string series, RelationshipType type)
    {
        var key = $"{series}|{EnumNames.ToWire(type)}";
        return _facts.Where(f => f.Key.Series == key).SelectMany(f => f.Value.Dates.Select(d => (f.Key.Key, f.Key.Value, d, (IReadOnlySet<string>)f.Value.Sources)));
    }

    /// <summary>Turns the snapshots into a batch of dated, sourced facts.</summary>
    public GraphBatch Build()
    {
        MatchUnresolvedByName();
        string Resolve(string id) => id.StartsWith(OnsPlaceholder, StringComparison.Ordinal)
            ? _onsToId.GetValueOrDefault(id[OnsPlaceholder.Length..], id[OnsPlaceholder.Length..])
            : id;

        ReportDisagreements(Resolve);
        // Facts recorded under an ONS placeholder and under the resolved id are one fact: merge before dating.
        var facts = new Dictionary<(string Series, string Key, string Value), Observed>();
        foreach (var ((series, key, valueKey), observed) in _facts)
        {
            var isEdge = !(series.EndsWith("|name", StringComparison.Ordinal) || series.EndsWith("|role", StringComparison.Ordinal) || series.Contains("|alias:", StringComparison.Ordinal));
            var resolved = (series, Resolve(key), isEdge ? Resolve(valueKey) : valueKey);
            if (facts.TryGetValue(resolved, out var existing))
            {
                existing.Absorb(observed);
            }
            else
            {
                facts[resolved] = observed;
            }
        }

        var runs = facts
            .SelectMany(f => Runs(f.Key.Series, f.Value).Select(r => (f.Key.Series, f.Key.Key, Value: f.Key.Series.EndsWith("|name", StringComparison.Ordinal) || f.Key.Series.EndsWith("|role", StringComparison.Ordinal) || f.Key.Series.Contains("|alias:", StringComparison.Ordinal) ? f.Value.Display : f.Key.Value, r.From, r.To, f.Value.Sources)))
            .ToList();

        var entities = _entities.Values.GroupBy(e => Resolve(e.Id)).ToDictionary(g => g.Key, g => Merge(g.Key, g), StringComparer.Ordinal);
        // An organisation that stops appearing in its series closed when its last name did, unless ODS dates
        // from a file at least as new say otherwise (a practice open in 2019 but absent from the 2022 map).
        var nameEnds = runs.Where(r => r.Series.EndsWith("|name", StringComparison.Ordinal))
            .GroupBy(r => r.Key)
            .Where(g => g.All(r => r.To is not null))
            .ToDictionary(g => g.Key, g => g.Max(r => r.To)!.Value, StringComparer.Ordinal);
        var inferred = new Dictionary<OrgKind, int>();
        foreach (var (id, entity) in entities)
        {
            if (nameEnds.TryGetValue(id, out var lastDay) && entity.DatesDate <= lastDay && (entity.Closed is null || entity.Closed > lastDay))
            {
                if (entity.DatesDate != DateOnly.MinValue)
                {
                    inferred[entity.Kind] = inferred.GetValueOrDefault(entity.Kind) + 1;
                }

                entity.Closed = lastDay;
            }
        }

        // Likewise, without ODS dates, one that first appears after the first file of its series opened then
        // (the STPs of 2020 that replaced the two Surrey and Sussex STPs of 2019).
        foreach (var group in runs.Where(r => r.Series.EndsWith("|name", StringComparison.Ordinal) && r.From is not null).GroupBy(r => r.Key))
        {
            var first = group.MinBy(r => r.From)!;
            if (entities.TryGetValue(group.Key, out var entity) && entity.DatesDate == DateOnly.MinValue && first.From > _seriesDates[first.Series].Min)
            {
                entity.Opened = first.From;
            }
        }

        foreach (var (kind, count) in inferred)
        {
            Report.Note($"{count} {EnumNames.ToWire(kind)} organisation(s) shown open by the file that gives their ODS dates are missing from a later file of their series; taken as closed the day before that file");
        }

        var nodeFacts = new List<(string, NodeFactKind, DatedValue)>();
        var relationships = new Dictionary<(RelationshipType, string, string, DateOnly?), Relationship>();
        foreach (var (series, key, value, from, to, sources) in runs)
        {
            var kind = series[(series.IndexOf('|') + 1)..];
            if (!entities.TryGetValue(key, out var entity))
            {
                Report.Note($"{series}: '{key}' has facts but no file describes the organisation itself; skipped");
                continue;
            }

            var end = Earliest(to, entity.Closed);
            if (end < from)
            {
                continue; // a file listing a closed organisation says nothing about it after it closed
            }

            if (kind is "name" or "role" || kind.StartsWith("alias:", StringComparison.Ordinal))
            {
                var factKind = kind == "name" ? NodeFactKind.Name : kind == "role" ? NodeFactKind.Role : NodeFactKind.Alias;
                AliasScheme? scheme = factKind == NodeFactKind.Alias ? EnumNames.Parse<AliasScheme>(kind["alias:".Length..]) : null;
                nodeFacts.Add((key, factKind, new DatedValue { Value = value, Scheme = scheme, ValidFrom = from, ValidTo = end, SourceIds = [.. sources.Order()] }));
                continue;
            }

            if (!entities.TryGetValue(value, out var target))
            {
                Report.Note($"{series}: {key} -> '{value}', but no file describes '{value}'; relationship skipped");
                continue;
            }

            end = Earliest(end, target.Closed);
            if (end < from)
            {
                continue;
            }

            var type = EnumNames.Parse<RelationshipType>(kind);
            Add(relationships, new Relationship { Type = type, From = key, To = value, ValidFrom = from, ValidTo = end, SourceIds = [.. sources.Order()] });
        }

        foreach (var edge in _datedEdges)
        {
            Add(relationships, edge with { From = Resolve(edge.From), To = Resolve(edge.To) });
        }

        var names = nodeFacts.Where(f => f.Item2 == NodeFactKind.Name).GroupBy(f => f.Item1)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.Item3.ValidTo ?? DateOnly.MaxValue).ThenBy(f => f.Item3.ValidFrom ?? DateOnly.MinValue).Last().Item3.Value, StringComparer.Ordinal);
        var nodes = entities.Values.Select(e => new Node
        {
            Id = Resolve(e.Id),
            Name = names.GetValueOrDefault(Resolve(e.Id)) ?? e.LastName ?? Resolve(e.Id),
            Kind = e.Kind,
            Sector = e.Sector,
            ValidFrom = e.Opened,
            ValidTo = e.Closed,
            SourceIds = [.. e.Sources.Order()],
            Properties = e.PropertiesJson(),
        }).ToList();

        return new GraphBatch
        {
            Sources = [.. _sources.Values],
            Nodes = nodes,
            NodeFacts = nodeFacts,
            Relationships = [.. relationships.Values],
        };
    }

    /// <summary>
    /// An ONS code no file pairs with an ODS code (an STP code of 2019 replaced after a boundary change) is
    /// matched to the ODS-keyed organisation of the same kind that had exactly the same name; the match is reported.
    /// </summary>
    private void MatchUnresolvedByName()
    {
        var byName = _facts.Where(f => f.Key.Series.EndsWith("|name", StringComparison.Ordinal) && !f.Key.Key.StartsWith(OnsPlaceholder, StringComparison.Ordinal))
            .GroupBy(f => (f.Key.Series, f.Key.Value))
            .ToDictionary(g => g.Key, g => g.Select(f => f.Key.Key).Distinct().ToList());
        foreach (var placeholder in _facts.Keys.Where(k => k.Series.EndsWith("|name", StringComparison.Ordinal) && k.Key.StartsWith(OnsPlaceholder, StringComparison.Ordinal)).ToList())
        {
            var ons = placeholder.Key[OnsPlaceholder.Length..];
            if (_onsToId.ContainsKey(ons))
            {
                continue;
            }

            if (byName.TryGetValue((placeholder.Series, placeholder.Value), out var ids) && ids.Count == 1)
            {
                _onsToId[ons] = ids[0];
                Report.Note($"ONS code {ons} ('{_facts[placeholder].Display}') is paired with no ODS code in any file; matched by identical name to {ids[0]}");
            }
            else
            {
                Report.Note($"ONS code {ons} ('{_facts[placeholder].Display}') is paired with no ODS code in any file and no single organisation has its name; kept under its ONS code");
            }
        }
    }

    private static EntityInfo Merge(string id, IEnumerable<EntityInfo> parts)
    {
        var merged = new EntityInfo(id);
        foreach (var part in parts)
        {
            merged.Sources.UnionWith(part.Sources);
            if (part.KindDate >= merged.KindDate)
            {
                (merged.Kind, merged.Sector, merged.KindDate) = (part.Kind, part.Sector, part.KindDate);
            }

            if (part.DatesDate >= merged.DatesDate)
            {
                (merged.Opened, merged.Closed, merged.DatesDate) = (part.Opened, part.Closed, part.DatesDate);
            }

            if (part.NameDate >= merged.NameDate)
            {
                (merged.LastName, merged.NameDate) = (part.LastName, part.NameDate);
            }

            foreach (var (key, (value, date)) in part.Properties)
            {
                merged.SetProperty(key, value, date);
            }
        }

        return merged;
    }

    private static void Add(Dictionary<(RelationshipType, string, string, DateOnly?), Relationship> relationships, Relationship r)
    {
        var key = (r.Type, r.From, r.To, r.ValidFrom);
        relationships[key] = relationships.TryGetValue(key, out var existing)
            ? existing with { SourceIds = [.. existing.SourceIds.Union(r.SourceIds).Order()], ValidTo = Latest(existing.ValidTo, r.ValidTo) }
            : r;
    }

    /// <summary>Consecutive dates of the series on which the fact was seen, as periods.</summary>
    private IEnumerable<(DateOnly? From, DateOnly? To)> Runs(string series, Observed observed)
    {
        var dates = _seriesDates[series].ToList();
        DateOnly? start = null;
        for (var i = 0; i < dates.Count; i++)
        {
            var seen = observed.Dates.Contains(dates[i]);
            if (seen && start is null)
            {
                // A stated start date moves the first run back, unless an earlier file of the series did not show the fact.
                start = i == 0 && observed.Since < dates[i] ? observed.Since : dates[i];
            }
            else if (!seen && start is not null)
            {
                yield return (start, dates[i].AddDays(-1));
                start = null;
            }
        }

        if (start is not null)
        {
            yield return (start, null);
        }
    }

    private void ReportDisagreements(Func<string, string> resolve)
    {
        foreach (var group in _facts
            .Where(f => _singleValued.Contains(f.Key.Series))
            .SelectMany(f => f.Value.Dates.Select(d => (f.Key.Series, f.Key.Key, Date: d, f.Value.Display, Files: f.Value.FilesByDate[d])))
            .GroupBy(f => (f.Series, f.Key, f.Date))
            .Where(g => g.Count() > 1))
        {
            var (series, key, date) = group.Key;
            Report.Note($"files disagree on the {series.Replace('|', ' ')} of {resolve(key)} on {date:yyyy-MM-dd}: " +
                string.Join("; ", group.Select(g => $"'{resolve(g.Display)}' ({string.Join(", ", g.Files)})")) + "; all are kept");
        }
    }

    private void Observe(ManifestEntry file, string series, string key, string valueKey, string display, bool single, DateOnly? since = null)
    {
        Cite(file);
        SeriesDates(series).Add(file.Describes);
        if (single)
        {
            _singleValued.Add(series);
        }

        if (!_facts.TryGetValue((series, key, valueKey), out var observed))
        {
            _facts[(series, key, valueKey)] = observed = new Observed();
        }

        observed.See(file, display);
        if (since is { } s && (observed.Since is null || s < observed.Since))
        {
            observed.Since = s;
        }
    }

    private SortedSet<DateOnly> SeriesDates(string series)
    {
        if (!_seriesDates.TryGetValue(series, out var dates))
        {
            _seriesDates[series] = dates = [];
        }

        return dates;
    }


    private static string NameKey(string name) => string.Join(' ', name.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static DateOnly? Earliest(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateOnly? Latest(DateOnly? a, DateOnly? b) => a is null || b is null ? null : a > b ? a : b;

    /// <summary>An entity as the files describe it.</summary>
    public sealed class EntityInfo(string id)
    {
        public string Id { get; } = id;
        public OrgKind Kind { get; set; }
        public Sector Sector { get; set; }
        public DateOnly KindDate { get; set; } = DateOnly.MinValue;
        public DateOnly? Opened { get; set; }
        public DateOnly? Closed { get; set; }
        public DateOnly DatesDate { get; set; } = DateOnly.MinValue;
        public string? LastName { get; set; }
        public DateOnly NameDate { get; set; } = DateOnly.MinValue;
        /// <summary>Each property with the date of the file that gave it: the newest file wins, whatever the reading order.</summary>
        public Dictionary<string, (JsonNode? Value, DateOnly Date)> Properties { get; } = new(StringComparer.Ordinal);

        public void SetProperty(string key, JsonNode? value, DateOnly date)
        {
            if (!Properties.TryGetValue(key, out var current) || date >= current.Date)
            {
                Properties[key] = (value?.DeepClone(), date);
            }
        }

        public string PropertiesJson() => new JsonObject(Properties.Select(p => KeyValuePair.Create(p.Key, p.Value.Value?.DeepClone()))).ToJsonString();
        public HashSet<string> Sources { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Observed
    {
        public SortedSet<DateOnly> Dates { get; } = [];
        public HashSet<string> Sources { get; } = new(StringComparer.Ordinal);
        public Dictionary<DateOnly, string> FilesByDate { get; } = [];
        public string Display { get; private set; } = "";
        public DateOnly? Since { get; set; }

        public void Absorb(Observed other)
        {
            Dates.UnionWith(other.Dates);
            Sources.UnionWith(other.Sources);
            foreach (var (date, files) in other.FilesByDate)
            {
                FilesByDate[date] = FilesByDate.TryGetValue(date, out var mine) ? mine + ", " + files : files;
            }

            if (!Display.Any(char.IsLower) && other.Display.Any(char.IsLower))
            {
                Display = other.Display;
            }

            if (other.Since is { } since && (Since is null || since < Since))
            {
                Since = since;
            }
        }

        public void See(ManifestEntry file, string display)
        {
            Dates.Add(file.Describes);
            Sources.Add(file.Source.Id);
            FilesByDate[file.Describes] = FilesByDate.TryGetValue(file.Describes, out var files) ? files + ", " + file.File : file.File;
            // Prefer a mixed-case spelling (ONS "NHS Darlington CCG") over an all-capitals one (ODS), else the newest.
            if (Display.Length == 0 || (display.Any(char.IsLower) && (!Display.Any(char.IsLower) || file.Describes >= Dates.Max)))
            {
                Display = display;
            }
        }
    }
}
