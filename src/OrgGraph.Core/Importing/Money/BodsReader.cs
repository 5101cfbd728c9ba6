using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// Beneficial Ownership Data Standard statements (a JSON array of entity, person and ownership-or-control statements),
/// as the Open Ownership Register exports the Companies House PSC register. An ownership statement between two entities
/// becomes OWNED_BY (subject → interested party) with its interest types, the share range, and the interests' start and
/// end dates. A person is never a node (DESIGN.md): only the name and the interest are kept, on the company owned, in
/// <c>individualControllers</c>. An entity with a GB-COH identifier is <c>CH:number</c>; any other is keyed by its
/// jurisdiction and name. Each entity's name and number also count as evidence for matching spend suppliers.
/// </summary>
internal sealed class BodsReader : IOfficialReader
{
    public const string Format = "bods";

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        JsonArray statements;
        try
        {
            statements = JsonNode.Parse(File.ReadAllText(path)) as JsonArray
                ?? throw new JsonException("the file is not a JSON array of BODS statements");
        }
        catch (JsonException e)
        {
            problems.Add(new ImportProblem(entry.File, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, null, e.Message));
            return;
        }

        observations.Cite(entry);
        var series = "bods:" + entry.File;
        var entities = new Dictionary<string, string>(StringComparer.Ordinal);
        var people = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i] is not JsonObject statement)
            {
                continue;
            }

            var id = Text(statement, "statementID") ?? $"#{i}";
            switch (Text(statement, "statementType"))
            {
                case "entityStatement" when Text(statement, "name") is { } name:
                    var number = (statement["identifiers"] as JsonArray)?.OfType<JsonObject>()
                        .Where(x => Text(x, "scheme") == "GB-COH").Select(x => Text(x, "id")).OfType<string>().FirstOrDefault(CompanyNumbers.IsValid);
                    var jurisdiction = Text(statement["incorporatedInJurisdiction"] as JsonObject, "code");
                    var nodeId = number is not null ? CompanyNumbers.NodeId(number) : $"company:{(jurisdiction ?? "xx").ToLowerInvariant()}-{SupplierNames.Slug(SupplierNames.Key(name))}";
                    entities[id] = nodeId;
                    observations.Entity(entry, nodeId, OrgKind.Company, Sector.Private, properties: OfficialFields.Properties(
                        ("companyNumber", number is null ? null : CompanyNumbers.Normalise(number)), ("registeredName", name), ("jurisdiction", jurisdiction)));
                    observations.Name(entry, series, nodeId, name);
                    if (number is not null)
                    {
                        observations.Money.KnowCompany(name, new KnownCompany(CompanyNumbers.Normalise(number), name, false, entry.Source.Id, entry.File, i + 1), observations.Report);
                    }

                    break;
                case "personStatement":
                    people[id] = (statement["names"] as JsonArray)?.OfType<JsonObject>().Select(n => Text(n, "fullName")).OfType<string>().FirstOrDefault() ?? "(name not given)";
                    break;
            }
        }

        var individuals = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i] is not JsonObject statement || Text(statement, "statementType") != "ownershipOrControlStatement")
            {
                continue;
            }

            var subjectId = Text(statement["subject"] as JsonObject, "describedByEntityStatement");
            if (subjectId is null || !entities.TryGetValue(subjectId, out var subject))
            {
                observations.Report.Note(entry, i + 1, "an ownership statement whose subject is not an entity of the file; skipped");
                continue;
            }

            var party = statement["interestedParty"] as JsonObject;
            var interests = (statement["interests"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var (from, to) = Period(interests);
            if (Text(party, "describedByEntityStatement") is { } ownerStatement && entities.TryGetValue(ownerStatement, out var owner))
            {
                observations.DatedEdge(entry, new Relationship
                {
                    Type = RelationshipType.OwnedBy,
                    From = subject,
                    To = owner,
                    ValidFrom = from,
                    ValidTo = to,
                    Properties = Interest(interests, statement).ToJsonString(),
                });
            }
            else if (Text(party, "describedByPersonStatement") is { } personStatement && people.TryGetValue(personStatement, out var person))
            {
                // Only the name and the interest (DESIGN.md): no birth date, nationality or address.
                var controller = Interest(interests, statement);
                controller["name"] = person;
                controller["from"] = from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                controller["to"] = to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (!individuals.TryGetValue(subject, out var list))
                {
                    individuals[subject] = list = [];
                }

                list.Add(controller);
            }
            else if ((party?["unspecified"] as JsonObject) is { } unspecified)
            {
                observations.Entity(entry, subject, OrgKind.Company, Sector.Private, properties: OfficialFields.Properties(("pscStatement", Text(unspecified, "reason"))));
            }
        }

        foreach (var (subject, list) in individuals)
        {
            observations.Entity(entry, subject, OrgKind.Company, Sector.Private, properties: new Dictionary<string, object> { ["individualControllers"] = list });
        }
    }

    /// <summary>The interests' common span: earliest start, latest end (open when any interest is open).</summary>
    private static (DateOnly? From, DateOnly? To) Period(List<JsonObject> interests)
    {
        var starts = interests.Select(i => Date(Text(i, "startDate"))).ToList();
        var ends = interests.Select(i => Date(Text(i, "endDate"))).ToList();
        return (starts.All(s => s is not null) && starts.Count > 0 ? starts.Min() : null,
            ends.Count > 0 && ends.All(e => e is not null) ? ends.Max() : null);
    }

    /// <summary>
    /// The interest as relationship properties: each type and detail, the share range, and <c>share</c>, the lower bound
    /// of the largest share range (an exclusive bound, "more than 50%", is stored 0.01 above it so that it counts as
    /// control). A right to appoint the board or significant influence without a share over 50% leaves <c>share</c> out:
    /// an interest with no share stated is control (DESIGN.md).
    /// </summary>
    private static JsonObject Interest(List<JsonObject> interests, JsonObject statement)
    {
        var shares = interests.Select(i => i["share"] as JsonObject).OfType<JsonObject>().ToList();
        double? share = shares.Count == 0 ? null : shares.Max(s => (s["minimum"]?.GetValue<double>() ?? 0) + (s["exclusiveMinimum"]?.GetValue<bool>() == true ? 0.01 : 0));
        var control = interests.Any(i => Text(i, "type") is "appointment-of-board" or "influence-or-control");
        return new JsonObject
        {
            ["interests"] = new JsonArray([.. interests.Select(i => JsonValue.Create($"{Text(i, "type")}: {Text(i, "details")}"))]),
            ["shareRange"] = shares.Count == 0 ? null : string.Join(", ", shares.Select(s => $"{s["minimum"]}-{s["maximum"]}%").Distinct()),
            ["share"] = control && share <= 50 ? null : share,
            ["statementDate"] = Text(statement, "statementDate"),
            ["retrieved"] = Text(statement["source"] as JsonObject, "retrievedAt"),
        };
    }

    private static DateOnly? Date(string? text) =>
        text is not null && DateOnly.TryParseExact(text.Length >= 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string? Text(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
