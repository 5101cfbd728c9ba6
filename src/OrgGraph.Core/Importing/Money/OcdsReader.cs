using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// OCDS release packages as Contracts Finder publishes them (docs/money.md, format <c>ocds</c>). Each award becomes a
/// CONTRACT node <c>contract:ocds-&lt;award id&gt;</c>, COMMISSIONED_BY the buyer (resolved through the manifest's
/// <c>body</c> column; a buyer no seed organisation stands for gets a node <c>buyer:&lt;slug&gt;</c>) and AWARDED_TO each
/// supplier with the award's value, dates, procedure and notice. A supplier with a Companies House number is
/// <c>CH:number</c> (and its name is evidence for matching spend suppliers); with a CQC provider id, <c>cqc:id</c>; with
/// neither, it is matched by name with the spend suppliers. A file that is not a release package refuses the import; an
/// award that cannot be read (no id, no supplier, an unreadable date or amount) is left out and reported with its JSON
/// position and field path, as is a release without awards.
/// </summary>
internal sealed class OcdsReader : IOfficialReader
{
    public const string Format = "ocds";
    public const string ContractPrefix = "contract:ocds-";
    public const string BuyerPrefix = "buyer:";

    /// <summary>Below this a published award value is not read as a contract total (a unit or hourly rate is common).</summary>
    private const decimal UnitRateBelow = 1000;

    public IReadOnlyCollection<string> Formats { get; } = [Format];

    public void Read(ManifestEntry entry, string path, Observations observations, List<ImportProblem> problems)
    {
        if (!SpendReader.TryBodies(entry, problems, required: false, out var body, out var bodiesByName))
        {
            return;
        }

        var bytes = File.ReadAllBytes(path);
        var json = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes.AsSpan();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add(new ImportProblem(entry.File, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, null, e.Message));
            return;
        }

        var file = new Located(entry, JsonPositions.Of(json));
        if (root is not JsonObject package || package["releases"] is not JsonArray releases || Text(package, "uri") is not { } uri)
        {
            problems.Add(file.Problem(root is JsonObject ? "releases" : "", "not an OCDS release package (a JSON object with 'uri' and a 'releases' array)"));
            return;
        }

        observations.Cite(entry);
        var notice = new Notice(uri, NoticeId(uri));
        var read = 0;
        var leftOut = 0;
        for (var r = 0; r < releases.Count; r++)
        {
            var at = $"releases[{r}]";
            if (releases[r] is not JsonObject release || release["awards"] is not JsonArray { Count: > 0 } awards)
            {
                observations.Report.Note($"{file.Problem(at + ".awards", "the release has no awards")}; release left out");
                continue;
            }

            for (var a = 0; a < awards.Count; a++)
            {
                var award = new AwardAt(release, at, awards[a] as JsonObject, $"{at}.awards[{a}]");
                if (ReadAward(file, award, notice, body, bodiesByName, observations) is { } problem)
                {
                    observations.Report.Note($"{problem}; award left out");
                    leftOut++;
                }
                else
                {
                    read++;
                }
            }
        }

        observations.Report.Note($"{entry.File}: {read} award(s) read{(leftOut > 0 ? $", {leftOut} left out (reasons above)" : "")}");
    }

    /// <summary>Records one award, or returns why it cannot be read (nothing is recorded then).</summary>
    private static ImportProblem? ReadAward(Located file, AwardAt at, Notice notice, string? body, Dictionary<string, string>? bodiesByName, Observations observations)
    {
        var entry = file.Entry;
        if (at.Award is not { } award)
        {
            return file.Problem(at.Path, "an award must be a JSON object");
        }

        if (Text(award, "id") is not { } awardId)
        {
            return file.Problem(at.Path + ".id", "the award has no id");
        }

        if (award["suppliers"] is not JsonArray { Count: > 0 } suppliers)
        {
            return file.Problem(at.Path + ".suppliers", "the award names no supplier");
        }

        var tender = at.Release["tender"] as JsonObject;
        if (!TryDate(award, "date", at.Path, file.Problem, out var awardDate, out var problem) ||
            !TryDate(award["contractPeriod"] as JsonObject, "startDate", at.Path + ".contractPeriod", file.Problem, out var start, out problem) ||
            !TryDate(award["contractPeriod"] as JsonObject, "endDate", at.Path + ".contractPeriod", file.Problem, out var end, out problem) ||
            !TryAmount(award, at.Path, file.Problem, out var amount, out problem))
        {
            return problem;
        }

        var buyerName = Decoded(Text(at.Release["buyer"] as JsonObject, "name"))
            ?? Parties(at.Release).Where(p => (p["roles"] as JsonArray)?.Any(x => x?.GetValue<string>() == "buyer") == true).Select(p => Decoded(Text(p, "name"))).FirstOrDefault();
        string buyerId;
        if (bodiesByName is not null)
        {
            if (buyerName is null || !bodiesByName.TryGetValue(buyerName, out buyerId!))
            {
                return file.Problem(at.ReleasePath + ".buyer.name", $"the buyer '{buyerName}' is not one of the buyers the manifest maps ({string.Join(", ", bodiesByName.Keys)})");
            }
        }
        else if (body is not null)
        {
            buyerId = body;
        }
        else if (buyerName is not null)
        {
            // No seed organisation is named as the buyer: the buyer is kept as published, its sector not guessed.
            buyerId = BuyerPrefix + SupplierNames.Slug(SupplierNames.Key(buyerName));
            observations.Entity(entry, buyerId, OrgKind.Other, Sector.Unknown, properties: OfficialFields.Properties(("buyerName", buyerName)));
            observations.Name(entry, Series(entry), buyerId, buyerName);
        }
        else
        {
            return file.Problem(at.ReleasePath + ".buyer", "the release names no buyer and the manifest gives no body");
        }

        var contractId = ContractPrefix + awardId;
        var title = Decoded(Text(award, "title")) ?? Decoded(Text(tender, "title")) ?? contractId;
        var currency = Text(award["value"] as JsonObject, "currency");
        var procedure = string.Join("; ", new[] { Text(tender, "procurementMethodDetails"), Text(tender, "procurementMethod") }.OfType<string>());
        var valueNote = amount switch
        {
            null => "no value published",
            0 => "value 0 as published (framework or not stated)",
            < UnitRateBelow => $"value {amount.Value.ToString(CultureInfo.InvariantCulture)} as published: under {UnitRateBelow.ToString(CultureInfo.InvariantCulture)}, probably a unit rate, not a contract total",
            _ => null,
        };
        var from = start ?? awardDate;
        (string, object?)[] common =
        [
            ("awardId", awardId), ("noticeId", notice.Id), ("noticeUrl", notice.Url), ("procedure", procedure), ("awardDate", Iso(awardDate)),
            ("amount", amount), ("currency", currency), ("valueNote", valueNote),
        ];
        observations.Entity(entry, contractId, OrgKind.Contract, Sector.Public, properties: OfficialFields.Properties(
            [.. common, ("ocid", Text(at.Release, "ocid")), ("suppliersOnAward", suppliers.Count), ("buyerName", buyerName)]));
        observations.Name(entry, Series(entry), contractId, title);
        observations.DatedEdge(entry, new Relationship
        {
            Type = RelationshipType.CommissionedBy,
            From = contractId,
            To = buyerId,
            ValidFrom = from,
            ValidTo = end,
            Properties = JsonSerializer.Serialize(OfficialFields.Properties(("buyerName", buyerName), ("noticeId", notice.Id), ("noticeUrl", notice.Url))),
        });

        var parties = Parties(at.Release).Where(p => Text(p, "id") is not null).GroupBy(p => Text(p, "id")!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        for (var s = 0; s < suppliers.Count; s++)
        {
            var reference = suppliers[s] as JsonObject;
            var party = Text(reference, "id") is { } partyId ? parties.GetValueOrDefault(partyId) : null;
            var name = Decoded(Text(reference, "name")) ?? Decoded(Text(party, "name"));
            if (name is null)
            {
                observations.Report.Note($"{file.Problem($"{at.Path}.suppliers[{s}].name", "the supplier has no name")}; supplier left out of the award");
                continue;
            }

            var identifier = party?["identifier"] as JsonObject;
            var (scheme, id) = (Text(identifier, "scheme"), Text(identifier, "id"));
            // DESIGN.md, people: a supplier that reads as a person keeps neither its name nor its identifier.
            var person = SupplierNames.NamesPerson(name) && scheme != "GB-COH";
            var properties = OfficialFields.Properties([.. common, ("sharedWith", suppliers.Count - 1),
                ("supplierName", person ? null : name), ("identifier", person || scheme is null || id is null ? null : $"{scheme}:{id}")]);
            var edge = new Relationship
            {
                Type = RelationshipType.AwardedTo,
                From = contractId,
                To = "",
                ValidFrom = from,
                ValidTo = end,
                SourceIds = [entry.Source.Id],
                Properties = JsonSerializer.Serialize(properties),
            };
            if (!person && scheme == "GB-COH" && id is not null && CompanyNumbers.IsValid(id))
            {
                var number = CompanyNumbers.Normalise(id);
                var legalName = Decoded(Text(identifier, "legalName")) ?? name;
                var supplierId = CompanyNumbers.NodeId(number);
                observations.Entity(entry, supplierId, OrgKind.Company, Sector.Private, properties: OfficialFields.Properties(("companyNumber", number), ("registeredName", legalName)));
                observations.Name(entry, Series(entry), supplierId, legalName);
                var line = file.Positions.At($"{at.Path}.suppliers[{s}]").Line;
                foreach (var spelling in new[] { name, legalName }.Distinct(StringComparer.Ordinal))
                {
                    observations.Money.KnowCompany(spelling, new KnownCompany(number, legalName, false, entry.Source.Id, entry.File, line), observations.Report);
                }
                observations.DatedEdge(entry, edge with { To = supplierId });
            }
            else if (!person && scheme == "GB-CQC" && id is not null)
            {
                // A CQC provider id identifies a registered provider, not its legal form or sector.
                var supplierId = "cqc:" + id;
                observations.Entity(entry, supplierId, OrgKind.Company, Sector.Unknown, properties: OfficialFields.Properties(("cqcProviderId", id)));
                observations.Name(entry, Series(entry), supplierId, name);
                observations.DatedEdge(entry, edge with { To = supplierId });
            }
            else
            {
                observations.Money.AwardSuppliers.Add(new AwardSupplier(name, entry.Source.Id, edge));
            }
        }

        return null;
    }

    /// <summary>Each file is its own series: a notice says nothing about the names of organisations it does not mention.</summary>
    private static string Series(ManifestEntry entry) => "ocds:" + entry.File;

    private static IEnumerable<JsonObject> Parties(JsonObject release) => (release["parties"] as JsonArray)?.OfType<JsonObject>() ?? [];

    /// <summary>Contracts Finder names a notice's package <c>…/releases/&lt;notice id&gt;.json</c>.</summary>
    private static string? NoticeId(string uri)
    {
        var last = uri.TrimEnd('/').Split('/')[^1];
        var id = last.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? last[..^5] : last;
        return Guid.TryParse(id, out _) ? id : null;
    }

    private static bool TryDate(JsonObject? o, string field, string path, Func<string, string, ImportProblem> problemAt, out DateOnly? date, out ImportProblem? problem)
    {
        (date, problem) = (null, null);
        if (o?[field] is null)
        {
            return true;
        }

        if (Text(o, field) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            // The date as written (its own offset), not moved to UTC: "2020-01-01T00:00:00+01:00" is 1 January.
            date = DateOnly.FromDateTime(parsed.DateTime);
            return true;
        }

        problem = problemAt($"{path}.{field}", $"'{o[field]!.ToJsonString()}' is not a date (expected ISO 8601, e.g. 2020-01-31T00:00:00Z)");
        return false;
    }

    private static bool TryAmount(JsonObject award, string path, Func<string, string, ImportProblem> problemAt, out decimal? amount, out ImportProblem? problem)
    {
        (amount, problem) = (null, null);
        var value = (award["value"] as JsonObject)?["amount"];
        if (value is null)
        {
            return true;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var number))
        {
            amount = number;
            return true;
        }

        problem = problemAt($"{path}.value.amount", $"'{value.ToJsonString()}' is not an amount (expected a JSON number)");
        return false;
    }

    private static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Contracts Finder keeps HTML entities in names and titles (<c>&amp;amp;</c>, <c>&amp;#039;</c>, <c>&amp;quot;</c>).</summary>
    private static string? Decoded(string? text) => text is null ? null : WebUtility.HtmlDecode(text).Trim() is { Length: > 0 } t ? t : null;

    private static string? Text(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0 ? s : null;

    private sealed record Notice(string Url, string? Id);

    private sealed record AwardAt(JsonObject Release, string ReleasePath, JsonObject? Award, string Path);

    /// <summary>A file with the positions of its values, to report a problem at a field path.</summary>
    private sealed record Located(ManifestEntry Entry, JsonPositions Positions)
    {
        public ImportProblem Problem(string field, string reason)
        {
            var (line, column) = Positions.At(field);
            return new ImportProblem(Entry.File, line, column, field.Length > 0 ? field : null, reason);
        }
    }
}
